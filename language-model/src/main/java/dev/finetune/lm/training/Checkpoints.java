package dev.finetune.lm.training;

import ai.djl.Model;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune.lm.model.DjlRuntime;
import dev.finetune.lm.model.ModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The on-disk form of a saved model, written by {@link TinyGptFineTuner} and read by
 * {@code dev.finetune.lm.scoring.LanguageModel}.
 *
 * <p>A model directory holds:
 * <ul>
 *   <li>{@code config.json}: the {@link ModelConfig} fields plus {@code "architecture":"tiny-gpt"} and
 *       {@code "tokenizer":"bytes"} (the byte tokenizer needs no file);</li>
 *   <li>{@code tiny-gpt-0000.params}: the weights in DJL's own parameter format ({@code Model.save}), readable only by
 *       DJL with the same block structure; safetensors is the planned format for exchange with other tools;</li>
 *   <li>{@code manifest.json}: provenance (configs, seed, the caller's extras, DJL / PyTorch / JDK versions, result
 *       figures) and a {@code files} list of every other file with its sha256 and size, checked on load.</li>
 * </ul>
 */
public final class Checkpoints {

    public static final String ARCHITECTURE = "tiny-gpt";
    public static final String TOKENIZER = "bytes";
    public static final String CONFIG_FILE = "config.json";
    public static final String MANIFEST_FILE = "manifest.json";
    /** DJL model name; {@code Model.save} writes {@code <name>-0000.params}. */
    public static final String WEIGHTS_NAME = "tiny-gpt";
    public static final String WEIGHTS_FORMAT = "djl-params";
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Checkpoints() {}

    /** Writes weights, config.json and manifest.json into {@code dir}, in that order: the manifest hashes the others. */
    static void save(Model model, ModelConfig config, FineTuneJob job, TrainingResult result, Path dir) {
        try {
            Files.createDirectories(dir);
            model.save(dir, WEIGHTS_NAME);
            ObjectNode configJson = JSON.valueToTree(config);
            configJson.put("architecture", ARCHITECTURE);
            configJson.put("tokenizer", TOKENIZER);
            JSON.writeValue(dir.resolve(CONFIG_FILE).toFile(), configJson);
            writeManifest(config, job, result, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the model to " + dir, e);
        }
    }

    private static void writeManifest(ModelConfig config, FineTuneJob job, TrainingResult result, Path dir)
            throws IOException {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("formatVersion", FORMAT_VERSION);
        manifest.put("architecture", ARCHITECTURE);
        manifest.put("baseModel", job.baseModel());
        manifest.put("createdAt", Instant.now().toString());
        manifest.set("modelConfig", JSON.valueToTree(config));
        manifest.set("trainConfig", JSON.valueToTree(job.config()));
        manifest.put("seed", job.config().seed());
        manifest.put("trainExamples", job.train().size());
        manifest.put("validationExamples", job.validation().size());
        manifest.set("extras", JSON.valueToTree(new TreeMap<>(job.manifestExtras())));
        ObjectNode versions = manifest.putObject("versions");
        versions.put("djl", DjlRuntime.djlVersion());
        versions.put("pytorch", DjlRuntime.pytorchVersion());
        versions.put("jdk", Runtime.version().toString());
        ObjectNode figures = manifest.putObject("result");
        figures.put("steps", result.steps());
        putNumber(figures, "initialTrainLoss", result.initialTrainLoss());
        putNumber(figures, "finalTrainLoss", result.finalTrainLoss());
        putNumber(figures, "finalValidationLoss", result.finalValidationLoss());
        putNumber(figures, "tokensPerSecond", result.tokensPerSecond());
        figures.put("durationMillis", result.duration().toMillis());
        manifest.put("weightsFormat", WEIGHTS_FORMAT);
        ArrayNode files = manifest.putArray("files");
        for (Path file : filesToHash(dir)) {
            ObjectNode entry = files.addObject();
            entry.put("path", dir.relativize(file).toString().replace('\\', '/'));
            entry.put("sha256", sha256(file));
            entry.put("size", Files.size(file));
        }
        JSON.writeValue(dir.resolve(MANIFEST_FILE).toFile(), manifest);
    }

    /** JSON has no NaN: an absent figure (no validation set) is written as null. */
    private static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }

    private static List<Path> filesToHash(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(file -> !file.equals(dir.resolve(MANIFEST_FILE)))
                    .sorted()
                    .toList();
        }
    }

    /**
     * Checks every file the manifest of {@code dir} lists against its recorded sha256 and size, and reads the model
     * config.
     *
     * @throws IllegalStateException naming the file when one is missing, has changed, or the manifest or config is
     *                               not what this library writes
     * @throws UncheckedIOException  when a file cannot be read
     */
    public static ModelConfig verifyAndReadConfig(Path dir) {
        try {
            Path manifestFile = dir.resolve(MANIFEST_FILE);
            if (!Files.isRegularFile(manifestFile)) {
                throw new IllegalStateException("no " + MANIFEST_FILE + " in model directory " + dir);
            }
            JsonNode manifest = JSON.readTree(manifestFile.toFile());
            JsonNode files = manifest.path("files");
            if (!files.isArray() || files.isEmpty()) {
                throw new IllegalStateException(MANIFEST_FILE + " in " + dir + " lists no files");
            }
            List<String> listed = new ArrayList<>();
            for (JsonNode entry : files) {
                String relative = entry.path("path").asText();
                Path file = dir.resolve(relative).normalize();
                if (relative.isEmpty() || !file.startsWith(dir.normalize())) {
                    throw new IllegalStateException(MANIFEST_FILE + " in " + dir + " lists a path outside it: '" + relative + "'");
                }
                if (!Files.isRegularFile(file)) {
                    throw new IllegalStateException("model file " + relative + " listed in the manifest is missing from " + dir);
                }
                String expected = entry.path("sha256").asText();
                String actual = sha256(file);
                if (!actual.equalsIgnoreCase(expected)) {
                    throw new IllegalStateException("model file " + relative + " in " + dir + " does not match the manifest: sha256 "
                            + actual + ", expected " + expected);
                }
                if (entry.has("size") && entry.get("size").asLong() != Files.size(file)) {
                    throw new IllegalStateException("model file " + relative + " in " + dir + " has size " + Files.size(file)
                            + ", the manifest says " + entry.get("size").asLong());
                }
                listed.add(relative);
            }
            String weights = WEIGHTS_NAME + "-0000.params";
            for (String required : List.of(CONFIG_FILE, weights)) {
                if (!listed.contains(required)) {
                    throw new IllegalStateException(MANIFEST_FILE + " in " + dir + " does not list " + required);
                }
            }
            return readConfig(dir.resolve(CONFIG_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the model in " + dir, e);
        }
    }

    private static ModelConfig readConfig(Path file) throws IOException {
        JsonNode json = JSON.readTree(file.toFile());
        String architecture = json.path("architecture").asText();
        String tokenizer = json.path("tokenizer").asText();
        if (!ARCHITECTURE.equals(architecture) || !TOKENIZER.equals(tokenizer)) {
            throw new IllegalStateException(file + " describes architecture '" + architecture + "' with tokenizer '" + tokenizer
                    + "'; this library reads '" + ARCHITECTURE + "' with '" + TOKENIZER + "'");
        }
        return new ModelConfig(
                json.path("vocabSize").asInt(),
                json.path("contextLength").asInt(),
                json.path("layers").asInt(),
                json.path("width").asInt(),
                json.path("heads").asInt(),
                json.path("dropout").asDouble());
    }

    /** The manifest of a saved model, as a JSON tree (for services that want to show or forward it). */
    public static JsonNode readManifest(Path dir) {
        try {
            return JSON.readTree(dir.resolve(MANIFEST_FILE).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + MANIFEST_FILE + " in " + dir, e);
        }
    }

    /** Lower-case hex sha256 of a file's bytes. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
