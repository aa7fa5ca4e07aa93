package dev.finetune.lm.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One view over the weights of a Hugging Face checkpoint folder: either {@value #INDEX_FILE}
 * ({@code {"metadata": {...}, "weight_map": {tensorName: shardFileName}}}) with its shard files, or a single
 * {@value #SINGLE_FILE}. The index wins when both exist.
 *
 * <p>{@link #open} opens and validates every shard, fails if a shard named in the index is missing or escapes the
 * folder, and checks that each shard holds the tensors the index assigns to it. Tensors a shard holds but the index
 * does not list are ignored, as transformers does.
 */
public final class ShardedCheckpoint implements TensorSource, AutoCloseable {

    public static final String INDEX_FILE = "model.safetensors.index.json";
    public static final String SINGLE_FILE = "model.safetensors";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Path directory;
    private final boolean sharded;
    private final Map<String, SafetensorsFile> tensorToShard;
    private final List<SafetensorsFile> shards;
    private final Map<String, String> indexMetadata;

    private ShardedCheckpoint(Path directory, boolean sharded, Map<String, SafetensorsFile> tensorToShard,
            List<SafetensorsFile> shards, Map<String, String> indexMetadata) {
        this.directory = directory;
        this.sharded = sharded;
        this.tensorToShard = Collections.unmodifiableMap(tensorToShard);
        this.shards = List.copyOf(shards);
        this.indexMetadata = Collections.unmodifiableMap(indexMetadata);
    }

    /** Opens the checkpoint in {@code directory}; the caller closes the result. */
    public static ShardedCheckpoint open(Path directory) throws IOException {
        Path index = directory.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return openIndexed(directory, index);
        }
        Path single = directory.resolve(SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            SafetensorsFile file = SafetensorsFile.open(single);
            Map<String, SafetensorsFile> map = new LinkedHashMap<>();
            file.tensorNames().forEach(name -> map.put(name, file));
            return new ShardedCheckpoint(directory, false, map, List.of(file), Map.of());
        }
        throw new SafetensorsFormatException(directory + ": neither " + INDEX_FILE + " nor " + SINGLE_FILE
                + " is in the folder");
    }

    private static ShardedCheckpoint openIndexed(Path directory, Path index) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(index.toFile());
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(index + ": malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsFormatException(index + ": not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode metadataNode = root.get("metadata");
        if (metadataNode != null && !metadataNode.isNull()) {
            if (!metadataNode.isObject()) {
                throw new SafetensorsFormatException(index + ": metadata is not a JSON object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = metadataNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                metadata.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            }
        }
        JsonNode weightMap = root.get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            throw new SafetensorsFormatException(index + ": weight_map is missing or not a JSON object");
        }
        Map<String, String> tensorToFile = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new SafetensorsFormatException(index + ": weight_map entry for tensor '" + e.getKey()
                        + "' is not a file name: " + e.getValue());
            }
            tensorToFile.put(e.getKey(), e.getValue().textValue());
        }

        Path base = directory.toAbsolutePath().normalize();
        Map<String, SafetensorsFile> opened = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, String> e : tensorToFile.entrySet()) {
                String fileName = e.getValue();
                if (opened.containsKey(fileName)) {
                    continue;
                }
                Path shardPath = base.resolve(fileName).normalize();
                if (!shardPath.getParent().equals(base)) {
                    throw new SafetensorsFormatException(index + ": shard '" + fileName + "' of tensor '"
                            + e.getKey() + "' is not a file name inside " + directory);
                }
                if (!Files.isRegularFile(shardPath)) {
                    long count = tensorToFile.values().stream().filter(fileName::equals).count();
                    throw new SafetensorsFormatException(index + ": shard file " + shardPath + " is missing (it holds "
                            + count + " tensors, e.g. '" + e.getKey() + "')");
                }
                opened.put(fileName, SafetensorsFile.open(shardPath));
            }
            Map<String, SafetensorsFile> tensorToShard = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : tensorToFile.entrySet()) {
                SafetensorsFile shard = opened.get(e.getValue());
                if (!shard.contains(e.getKey())) {
                    throw new SafetensorsFormatException(index + ": weight_map puts tensor '" + e.getKey()
                            + "' in " + e.getValue() + ", but that shard has no such tensor");
                }
                tensorToShard.put(e.getKey(), shard);
            }
            return new ShardedCheckpoint(directory, true, tensorToShard, new ArrayList<>(opened.values()), metadata);
        } catch (IOException | RuntimeException e) {
            for (SafetensorsFile shard : opened.values()) {
                try {
                    shard.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    public Path directory() {
        return directory;
    }

    /** True when opened through {@value #INDEX_FILE}. */
    public boolean isSharded() {
        return sharded;
    }

    /** All tensor names: the index's {@code weight_map} order, or the single file's data order. */
    public List<String> tensorNames() {
        return List.copyOf(tensorToShard.keySet());
    }

    @Override
    public boolean contains(String name) {
        return tensorToShard.containsKey(name);
    }

    /** The open shard files, in the order the index first names them. */
    public List<SafetensorsFile> shards() {
        return shards;
    }

    /** The index's {@code metadata} (e.g. {@code total_size}) as text; empty for a single file. */
    public Map<String, String> indexMetadata() {
        return indexMetadata;
    }

    /** The shard that holds {@code name}; {@link IllegalArgumentException} if no shard does. */
    public SafetensorsFile shardOf(String name) {
        SafetensorsFile shard = tensorToShard.get(name);
        if (shard == null) {
            throw new IllegalArgumentException(directory + ": tensor '" + name + "' is in no shard of the checkpoint ("
                    + tensorToShard.size() + " tensors in " + shards.size() + " file(s))");
        }
        return shard;
    }

    /** The path of the shard file that holds {@code name}. */
    public Path fileOf(String name) {
        return shardOf(name).path();
    }

    @Override
    public TensorInfo info(String name) {
        return shardOf(name).info(name);
    }

    public ByteBuffer data(String name) throws IOException {
        return shardOf(name).data(name);
    }

    public float[] readFloats(String name) throws IOException {
        return shardOf(name).readFloats(name);
    }

    @Override
    public NDArray toNDArray(String name, NDManager manager) throws IOException {
        return shardOf(name).toNDArray(name, manager);
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (SafetensorsFile shard : shards) {
            try {
                shard.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
