package dev.finetune.lm.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune.lm.model.ModelFamily;
import dev.finetune.lm.model.TransformerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes Hugging Face {@code config.json} files of the GPT-2 and Llama families.
 *
 * <p>The architecture comes from {@code model_type}, or from {@code architectures[0]} when that is missing. Options
 * this engine does not implement (another activation, rope scaling, MLP biases, GPT-2's attention re-scalings) are
 * refused with their key named rather than loaded into a model that would compute something else.
 */
public final class HfConfig {

    /** Supported {@code model_type} values and the family each loads as. */
    public static final Map<String, ModelFamily> MODEL_TYPES = Map.of(
            "gpt2", ModelFamily.GPT2,
            "llama", ModelFamily.LLAMA,
            "qwen2", ModelFamily.LLAMA,
            "mistral", ModelFamily.LLAMA);

    private static final Map<String, String> ARCHITECTURES = Map.of(
            "GPT2LMHeadModel", "gpt2",
            "LlamaForCausalLM", "llama",
            "Qwen2ForCausalLM", "qwen2",
            "MistralForCausalLM", "mistral");

    private static final ObjectMapper JSON = new ObjectMapper();

    private HfConfig() {}

    /**
     * The model shape {@code json} describes.
     *
     * @param source named in error messages, e.g. the file's path
     * @throws IllegalArgumentException listing every problem: unknown architecture, missing or invalid keys,
     *                                  unsupported options
     */
    public static TransformerConfig parse(JsonNode json, String source) {
        List<String> problems = new ArrayList<>();
        String modelType = modelType(json, problems);
        if (modelType == null) {
            throw new IllegalArgumentException(source + ": " + String.join("; ", problems));
        }
        Reader r = new Reader(json, problems);
        TransformerConfig config = null;
        if (MODEL_TYPES.get(modelType) == ModelFamily.GPT2) {
            int width = r.integer("n_embd", null);
            int heads = r.integer("n_head", null);
            int inner = json.hasNonNull("n_inner") ? r.integer("n_inner", null) : 4 * width;
            String activation = r.text("activation_function", "gelu_new");
            if (!activation.equals("gelu_new") && !activation.equals("gelu_pytorch_tanh")) {
                problems.add("activation_function '" + activation + "' is not supported (gelu_new, gelu_pytorch_tanh)");
            }
            r.refuseTrue("scale_attn_by_inverse_layer_idx");
            r.refuseTrue("reorder_and_upcast_attn");
            r.refuseTrue("add_cross_attention");
            if (json.has("scale_attn_weights") && !json.get("scale_attn_weights").asBoolean(true)) {
                problems.add("scale_attn_weights false is not supported");
            }
            int vocab = r.integer("vocab_size", null);
            int positions = r.integer("n_positions", 1024);
            int layers = r.integer("n_layer", null);
            double eps = r.number("layer_norm_epsilon", 1e-5);
            boolean tied = r.bool("tie_word_embeddings", true);
            if (problems.isEmpty()) {
                config = tryBuild(problems, () -> new TransformerConfig("gpt2", ModelFamily.GPT2, vocab, positions, layers,
                        width, heads, heads, heads == 0 ? 0 : width / heads, inner, eps, 10_000, true, tied, 0.0));
            }
        } else {
            int width = r.integer("hidden_size", null);
            int heads = r.integer("num_attention_heads", null);
            int kvHeads = r.integer("num_key_value_heads", heads);
            int headSize = r.integer("head_dim", heads == 0 ? 0 : width / heads);
            int vocab = r.integer("vocab_size", null);
            int layers = r.integer("num_hidden_layers", null);
            int inner = r.integer("intermediate_size", null);
            int positions = r.integer("max_position_embeddings", 2048);
            double eps = r.number("rms_norm_eps", 1e-6);
            double theta = r.number("rope_theta", 10_000);
            boolean bias = modelType.equals("qwen2") || r.bool("attention_bias", false);
            boolean tied = r.bool("tie_word_embeddings", false);
            String activation = r.text("hidden_act", "silu");
            if (!activation.equals("silu")) {
                problems.add("hidden_act '" + activation + "' is not supported (silu)");
            }
            r.refuseTrue("mlp_bias");
            JsonNode scaling = json.get("rope_scaling");
            if (scaling != null && !scaling.isNull()) {
                String type = scaling.path("rope_type").asText(scaling.path("type").asText("?"));
                if (!type.equals("default")) {
                    problems.add("rope_scaling of type '" + type + "' is not supported");
                }
            }
            if (problems.isEmpty()) {
                config = tryBuild(problems, () -> new TransformerConfig(modelType, ModelFamily.LLAMA, vocab, positions,
                        layers, width, heads, kvHeads, headSize, inner, eps, theta, bias, tied, 0.0));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(source + ": " + String.join("; ", problems));
        }
        return config;
    }

    /** A config.json for {@code config}, with the keys Hugging Face's classes read. */
    public static ObjectNode toJson(TransformerConfig config, Integer bosTokenId, Integer eosTokenId) {
        ObjectNode json = JSON.createObjectNode();
        if (config.family() == ModelFamily.GPT2) {
            json.putArray("architectures").add("GPT2LMHeadModel");
            json.put("model_type", "gpt2");
            json.put("vocab_size", config.vocabSize());
            json.put("n_positions", config.contextLength());
            json.put("n_ctx", config.contextLength());
            json.put("n_embd", config.width());
            json.put("n_layer", config.layers());
            json.put("n_head", config.heads());
            json.put("n_inner", config.mlpWidth());
            json.put("activation_function", "gelu_new");
            json.put("layer_norm_epsilon", config.normEps());
            json.put("resid_pdrop", config.dropout());
            json.put("embd_pdrop", config.dropout());
            json.put("attn_pdrop", config.dropout());
        } else {
            String architecture = switch (config.modelType()) {
                case "qwen2" -> "Qwen2ForCausalLM";
                case "mistral" -> "MistralForCausalLM";
                default -> "LlamaForCausalLM";
            };
            json.putArray("architectures").add(architecture);
            json.put("model_type", config.modelType());
            json.put("vocab_size", config.vocabSize());
            json.put("hidden_size", config.width());
            json.put("intermediate_size", config.mlpWidth());
            json.put("num_hidden_layers", config.layers());
            json.put("num_attention_heads", config.heads());
            json.put("num_key_value_heads", config.kvHeads());
            json.put("head_dim", config.headSize());
            json.put("max_position_embeddings", config.contextLength());
            json.put("rms_norm_eps", config.normEps());
            json.put("rope_theta", config.ropeTheta());
            json.put("attention_bias", config.attentionBias());
            json.put("hidden_act", "silu");
            json.put("attention_dropout", config.dropout());
        }
        json.put("tie_word_embeddings", config.tiedEmbeddings());
        if (bosTokenId != null) {
            json.put("bos_token_id", bosTokenId);
        }
        if (eosTokenId != null) {
            json.put("eos_token_id", eosTokenId);
        }
        json.put("torch_dtype", "float32");
        return json;
    }

    private static String modelType(JsonNode json, List<String> problems) {
        String modelType = json.path("model_type").asText(null);
        String architecture = json.path("architectures").path(0).asText(null);
        if (modelType == null && architecture != null) {
            modelType = ARCHITECTURES.get(architecture);
        }
        if (modelType == null || !MODEL_TYPES.containsKey(modelType)) {
            problems.add("unknown architecture (model_type '" + json.path("model_type").asText("") + "', architectures '"
                    + (architecture == null ? "" : architecture) + "'); supported model types: "
                    + String.join(", ", MODEL_TYPES.keySet().stream().sorted().toList()));
            return null;
        }
        return modelType;
    }

    private static TransformerConfig tryBuild(List<String> problems, java.util.function.Supplier<TransformerConfig> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /** Typed reads of config keys that collect problems instead of throwing at the first. */
    private record Reader(JsonNode json, List<String> problems) {

        int integer(String key, Integer fallback) {
            JsonNode node = json.get(key);
            if (node == null || node.isNull()) {
                if (fallback == null) {
                    problems.add("missing '" + key + "'");
                    return 0;
                }
                return fallback;
            }
            if (!node.canConvertToInt() || !node.isIntegralNumber()) {
                problems.add("'" + key + "' must be an integer, was " + node);
                return 0;
            }
            return node.intValue();
        }

        double number(String key, double fallback) {
            JsonNode node = json.get(key);
            if (node == null || node.isNull()) {
                return fallback;
            }
            if (!node.isNumber()) {
                problems.add("'" + key + "' must be a number, was " + node);
                return fallback;
            }
            return node.doubleValue();
        }

        boolean bool(String key, boolean fallback) {
            JsonNode node = json.get(key);
            if (node == null || node.isNull()) {
                return fallback;
            }
            if (!node.isBoolean()) {
                problems.add("'" + key + "' must be true or false, was " + node);
                return fallback;
            }
            return node.booleanValue();
        }

        String text(String key, String fallback) {
            JsonNode node = json.get(key);
            return node == null || node.isNull() ? fallback : node.asText();
        }

        void refuseTrue(String key) {
            if (json.path(key).asBoolean(false)) {
                problems.add(key + " true is not supported");
            }
        }
    }
}
