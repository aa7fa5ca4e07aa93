package dev.finetune.lm.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune.lm.checkpoint.BaseModel;
import dev.finetune.lm.checkpoint.ModelFolder;
import dev.finetune.lm.model.CausalLm;
import dev.finetune.lm.model.DjlRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The on-disk form of a fine-tuned model: a Hugging Face model folder other tools load as it is, plus our manifest.
 *
 * <p>A model directory holds {@code config.json} (the base model's, unknown keys kept), {@code model.safetensors}
 * (F32, Hugging Face tensor names; for LoRA the adapters merged into the base weights), the base model's tokenizer
 * files, for LoRA an {@code adapter/} folder in PEFT's layout (the adapter alone, a few MB where the model is GB),
 * and {@code manifest.json}: provenance (base model, method, configs, seed, the caller's extras such as dataset
 * version and hash, DJL / PyTorch / JDK versions, result figures) and the sha256 and size of every other file,
 * checked by {@link #verify(Path)}.
 */
public final class SavedModels {

    public static final String MANIFEST_FILE = "manifest.json";
    public static final String ADAPTER_DIR = "adapter";
    public static final int FORMAT_VERSION = 2;
    /** Tokenizer and generation files copied from the base model folder when present. */
    static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "generation_config.json", "vocab.json", "merges.txt", "tokenizer.model",
            "added_tokens.json");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SavedModels() {}

    /** Writes the model, then the manifest that hashes it, into {@code job.outputDir()}. */
    static void save(CausalLm model, BaseModel base, FineTuneJob job, TrainingResult result) {
        Path dir = job.outputDir();
        try {
            Files.createDirectories(dir);
            if (model.lora() != null) {
                ModelFolder.saveAdapter(model, dir.resolve(ADAPTER_DIR), base.reference());
                model.mergeAdapters();
            }
            ModelFolder.save(model, base.configJson(), dir);
            if (base.folder() != null) {
                for (String name : TOKENIZER_FILES) {
                    Path source = base.folder().resolve(name);
                    if (Files.isRegularFile(source)) {
                        Files.copy(source, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            writeManifest(model, base, job, result, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the model to " + dir, e);
        }
    }

    private static void writeManifest(CausalLm model, BaseModel base, FineTuneJob job, TrainingResult result, Path dir)
            throws IOException {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("formatVersion", FORMAT_VERSION);
        manifest.put("baseModel", base.reference());
        manifest.put("modelType", base.config().modelType());
        manifest.put("method", job.lora() == null ? "FULL" : "LORA");
        manifest.put("createdAt", Instant.now().toString());
        manifest.set("modelConfig", JSON.valueToTree(base.config()));
        if (job.lora() != null) {
            manifest.set("lora", JSON.valueToTree(job.lora()));
        }
        manifest.set("trainConfig", JSON.valueToTree(job.config()));
        manifest.put("seed", job.config().seed());
        manifest.put("parameters", model.parameterCount());
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
     * Checks every file the manifest of {@code dir} lists against its recorded sha256 and size. A folder without a
     * manifest (a model made elsewhere) passes: there is nothing to check it against.
     *
     * @throws IllegalStateException naming the file when one is missing or has changed, or the manifest lists a path
     *                               outside the folder
     * @throws UncheckedIOException  when a file cannot be read
     */
    public static void verify(Path dir) {
        Path manifestFile = dir.resolve(MANIFEST_FILE);
        if (!Files.isRegularFile(manifestFile)) {
            return;
        }
        try {
            JsonNode manifest = JSON.readTree(manifestFile.toFile());
            JsonNode files = manifest.path("files");
            if (!files.isArray() || files.isEmpty()) {
                throw new IllegalStateException(MANIFEST_FILE + " in " + dir + " lists no files");
            }
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
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the model in " + dir, e);
        }
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
