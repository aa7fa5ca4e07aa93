package dev.finetune.lm.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune.lm.model.CausalLm;
import dev.finetune.lm.model.DjlRuntime;
import dev.finetune.lm.model.LoraConfig;
import dev.finetune.lm.model.ModelFamily;
import dev.finetune.lm.model.NamedParameter;
import dev.finetune.lm.model.TransformerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A causal language model in Hugging Face's folder layout: {@code config.json} with {@code model.safetensors} (or
 * shards listed in {@code model.safetensors.index.json}), and a LoRA adapter in PEFT's layout
 * ({@code adapter_config.json} with {@code adapter_model.safetensors}).
 *
 * <p>Loading checks every tensor the config needs: a missing tensor or one of another shape is reported by name,
 * all of them in one exception. Tensors this engine has no use for (GPT-2's stored causal-mask buffers, rotary
 * frequency buffers, a tied model's duplicate head) are skipped; other unknown tensors are logged. F16 and BF16
 * weights load as float32. Weights are written as F32 with {@code {"format": "pt"}} metadata, which Hugging Face's
 * loader requires.
 */
public final class ModelFolder {

    public static final String CONFIG_FILE = "config.json";
    public static final String WEIGHTS_FILE = ShardedCheckpoint.SINGLE_FILE;
    public static final String ADAPTER_CONFIG_FILE = "adapter_config.json";
    public static final String ADAPTER_WEIGHTS_FILE = "adapter_model.safetensors";
    /** PEFT's prefix of adapter tensor names: its wrapper's {@code base_model.model} before the model's own names. */
    public static final String PEFT_PREFIX = "base_model.model.";

    private static final Logger LOG = LoggerFactory.getLogger(ModelFolder.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern IGNORED = Pattern.compile(
            ".*\\.attn\\.(masked_)?bias$|.*rotary_emb\\.inv_freq$");

    private ModelFolder() {}

    /** The raw {@code config.json} of {@code dir}. */
    public static ObjectNode readConfigJson(Path dir) {
        Path file = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(dir + " holds no " + CONFIG_FILE + ": not a Hugging Face model folder");
        }
        try {
            JsonNode json = JSON.readTree(file.toFile());
            if (!(json instanceof ObjectNode object)) {
                throw new IllegalArgumentException(file + ": not a JSON object");
            }
            return object;
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    /** The model shape of {@code dir}'s {@code config.json}. */
    public static TransformerConfig readConfig(Path dir) {
        return HfConfig.parse(readConfigJson(dir), dir.resolve(CONFIG_FILE).toString());
    }

    /**
     * A model of {@code dir}'s shape (with {@code lora}'s adapters, fresh, when not null), its parameters in
     * {@code manager}, loaded from {@code dir}'s weights.
     */
    public static CausalLm load(Path dir, LoraConfig lora, NDManager manager) {
        CausalLm model = new CausalLm(readConfig(dir), lora);
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        loadWeights(model, dir);
        return model;
    }

    /** Copies the checkpoint in {@code dir} into {@code model}'s (initialised) base weights. */
    public static void loadWeights(CausalLm model, Path dir) {
        try (ShardedCheckpoint checkpoint = ShardedCheckpoint.open(dir)) {
            List<NamedParameter> wanted = model.namedParameters().stream()
                    .filter(named -> !CausalLm.isAdapter(named.name()))
                    .toList();
            Set<String> used = copyInto(wanted, checkpoint, "", dir.toString());
            Set<String> unknown = new TreeSet<>();
            for (String name : checkpoint.tensorNames()) {
                boolean tiedHead = model.config().tiedEmbeddings() && name.equals("lm_head.weight");
                if (!used.contains(name) && !tiedHead && !IGNORED.matcher(name).matches()) {
                    unknown.add(name);
                }
            }
            if (!unknown.isEmpty()) {
                LOG.warn("{}: {} tensors not used by a {} model, e.g. {}", dir, unknown.size(),
                        model.config().modelType(), unknown.stream().limit(5).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the weights in " + dir, e);
        }
    }

    /**
     * Writes {@code model} as a Hugging Face folder: {@code configJson} as config.json (its {@code torch_dtype} set to
     * the float32 written) and the base weights as model.safetensors. Tokenizer files are the caller's to add.
     */
    public static void save(CausalLm model, ObjectNode configJson, Path dir) {
        try {
            Files.createDirectories(dir);
            saveWeights(model, dir.resolve(WEIGHTS_FILE));
            ObjectNode config = configJson.deepCopy();
            config.put("torch_dtype", "float32");
            JSON.writeValue(dir.resolve(CONFIG_FILE).toFile(), config);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the model to " + dir, e);
        }
    }

    /**
     * A model of {@code config} with fresh weights drawn from {@code seed} (the initialisation of a training from
     * scratch), saved as a Hugging Face folder with {@code configJson}: the start of pre-training, and test models.
     */
    public static Path saveRandom(TransformerConfig config, ObjectNode configJson, Path dir, long seed) {
        DjlRuntime.engine().setRandomSeed(Long.hashCode(seed));
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            CausalLm model = new CausalLm(config);
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
            save(model, configJson, dir);
        }
        return dir;
    }

    /**
     * Writes {@code model}'s base weights (adapters excluded: merge them first to keep them) to {@code file} as
     * F32 safetensors under their Hugging Face names.
     */
    public static void saveWeights(CausalLm model, Path file) {
        SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
        for (NamedParameter named : model.namedParameters()) {
            if (!CausalLm.isAdapter(named.name())) {
                addTensor(writer, named.name(), named);
            }
        }
        write(writer, file);
    }

    /**
     * Writes {@code model}'s adapters to {@code dir} in PEFT's layout, readable by {@code PeftModel.from_pretrained}.
     *
     * @param baseModel where the base model lives, recorded as {@code base_model_name_or_path}
     */
    public static void saveAdapter(CausalLm model, Path dir, String baseModel) {
        LoraConfig lora = model.lora();
        if (lora == null) {
            throw new IllegalStateException("the model has no LoRA adapters to save");
        }
        try {
            Files.createDirectories(dir);
            SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
            for (NamedParameter named : model.namedParameters()) {
                if (CausalLm.isAdapter(named.name())) {
                    addTensor(writer, PEFT_PREFIX + named.name(), named);
                }
            }
            write(writer, dir.resolve(ADAPTER_WEIGHTS_FILE));
            ObjectNode config = JSON.createObjectNode();
            config.put("peft_type", "LORA");
            config.put("task_type", "CAUSAL_LM");
            config.put("r", lora.rank());
            config.put("lora_alpha", lora.alpha());
            config.put("lora_dropout", lora.dropout());
            ArrayNode targets = config.putArray("target_modules");
            new TreeSet<>(lora.targetModules()).forEach(targets::add);
            config.put("bias", "none");
            config.put("fan_in_fan_out", model.config().family() == ModelFamily.GPT2);
            config.put("base_model_name_or_path", baseModel);
            config.put("inference_mode", true);
            config.putNull("modules_to_save");
            JSON.writeValue(dir.resolve(ADAPTER_CONFIG_FILE).toFile(), config);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the adapter to " + dir, e);
        }
    }

    /** The adapter shape in {@code dir}'s {@code adapter_config.json}. */
    public static LoraConfig readAdapterConfig(Path dir) {
        Path file = dir.resolve(ADAPTER_CONFIG_FILE);
        JsonNode json;
        try {
            json = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the adapter config: " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        if (!"LORA".equals(json.path("peft_type").asText())) {
            problems.add("peft_type must be LORA, was '" + json.path("peft_type").asText() + "'");
        }
        String bias = json.path("bias").asText("none");
        if (!bias.equals("none")) {
            problems.add("bias '" + bias + "' is not supported (none)");
        }
        if (json.path("use_dora").asBoolean(false) || json.path("use_rslora").asBoolean(false)) {
            problems.add("use_dora / use_rslora are not supported");
        }
        Set<String> targets = new LinkedHashSet<>();
        json.path("target_modules").forEach(node -> targets.add(node.asText()));
        if (json.path("target_modules").isTextual()) {
            problems.add("target_modules as a regular expression is not supported; list the module names");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(file + ": " + String.join("; ", problems));
        }
        try {
            return new LoraConfig(json.path("r").asInt(0), json.path("lora_alpha").asDouble(0),
                    json.path("lora_dropout").asDouble(0), targets);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Copies the PEFT adapter in {@code dir} into {@code model}'s adapters (built with the same {@link LoraConfig}). */
    public static void loadAdapter(CausalLm model, Path dir) {
        Path file = dir.resolve(ADAPTER_WEIGHTS_FILE);
        try (SafetensorsFile adapter = SafetensorsFile.open(file)) {
            List<NamedParameter> wanted = model.namedParameters().stream()
                    .filter(named -> CausalLm.isAdapter(named.name()))
                    .toList();
            copyInto(wanted, adapter, PEFT_PREFIX, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the adapter in " + dir, e);
        }
    }

    /** Copies each wanted tensor; reports every missing or misshapen one together. Returns the names read. */
    private static Set<String> copyInto(List<NamedParameter> wanted, TensorSource source, String prefix, String where)
            throws IOException {
        List<String> problems = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (NamedParameter named : wanted) {
            String name = resolve(source, prefix + named.name());
            if (name == null) {
                problems.add("missing tensor '" + prefix + named.name() + "'");
                continue;
            }
            long[] expected = named.parameter().getArray().getShape().getShape();
            long[] stored = named.transposed() ? new long[] {expected[1], expected[0]} : expected;
            long[] actual = source.info(name).shape();
            if (!java.util.Arrays.equals(stored, actual)) {
                problems.add("tensor '" + name + "' has shape " + java.util.Arrays.toString(actual)
                        + ", the config needs " + java.util.Arrays.toString(stored));
                continue;
            }
            NDArray target = named.parameter().getArray();
            try (NDManager scratch = target.getManager().newSubManager()) {
                NDArray value = source.toNDArray(name, scratch);
                if (value.getDataType() != DataType.FLOAT32) {
                    value = value.toType(DataType.FLOAT32, false);
                }
                if (named.transposed()) {
                    value = value.transpose();
                }
                value.copyTo(target);
            }
            used.add(name);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(where + ": " + String.join("; ", problems));
        }
        return used;
    }

    /** The stored name of {@code name}: as given, or without GPT-2's {@code transformer.} prefix (OpenAI's export). */
    private static String resolve(TensorSource source, String name) {
        if (source.contains(name)) {
            return name;
        }
        String bare = name.replaceFirst("^(" + Pattern.quote(PEFT_PREFIX) + ")?transformer\\.", "$1");
        return !bare.equals(name) && source.contains(bare) ? bare : null;
    }

    private static void addTensor(SafetensorsWriter writer, String name, NamedParameter named) {
        NDArray array = named.parameter().getArray();
        long[] shape = array.getShape().getShape();
        if (named.transposed()) {
            try (NDManager scratch = array.getManager().newSubManager()) {
                NDArray transposed = array.transpose();
                transposed.attach(scratch);
                writer.add(name, transposed.toFloatArray(), shape[1], shape[0]);
            }
        } else {
            writer.add(name, array.toFloatArray(), shape);
        }
    }

    private static void write(SafetensorsWriter writer, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            writer.write(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
