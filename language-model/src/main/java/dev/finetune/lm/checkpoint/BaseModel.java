package dev.finetune.lm.checkpoint;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune.lm.model.CausalLm;
import dev.finetune.lm.model.LoraConfig;
import dev.finetune.lm.model.TransformerConfig;
import dev.finetune.lm.tokenizer.ByteTokenizer;
import dev.finetune.lm.tokenizer.HfTokenizer;
import dev.finetune.lm.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A model to start from: its shape, its raw {@code config.json}, its tokenizer, and where its weights are.
 *
 * <p>{@value #TINY_RANDOM} is a small GPT-2-shaped model over the byte tokenizer, randomly initialised from the
 * engine's seed: no files, trains in seconds, for tests and for tasks small enough to learn from scratch. Any other
 * reference is a local folder in Hugging Face layout.
 *
 * @param reference  what the caller named: {@value #TINY_RANDOM} or a folder path
 * @param config     the model shape
 * @param configJson the config.json to write next to fine-tuned weights (unknown keys kept)
 * @param tokenizer  the model's tokenizer
 * @param folder     the Hugging Face folder, or null for a random start
 */
public record BaseModel(String reference, TransformerConfig config, ObjectNode configJson, Tokenizer tokenizer,
        Path folder) {

    /** Name of the random-start byte-level model. */
    public static final String TINY_RANDOM = "tiny-random";
    /** Key in config.json that marks a model of the byte tokenizer, which has no tokenizer file. */
    public static final String BYTE_TOKENIZER_KEY = "finetune_byte_tokenizer";

    public BaseModel {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(configJson, "configJson");
        Objects.requireNonNull(tokenizer, "tokenizer");
    }

    /** The shape of {@value #TINY_RANDOM}: vocabulary 259 bytes, context 128, 2 layers, width 64, 4 heads. */
    public static TransformerConfig tinyConfig() {
        return TransformerConfig.gpt2(new ByteTokenizer().vocabSize(), 128, 2, 64, 4);
    }

    /**
     * The base model named {@code reference}.
     *
     * @throws IllegalArgumentException when it is neither {@value #TINY_RANDOM} nor a readable model folder, naming
     *                                  what is wrong
     */
    public static BaseModel resolve(String reference) {
        Objects.requireNonNull(reference, "reference");
        if (reference.equals(TINY_RANDOM)) {
            return random(tinyConfig());
        }
        Path folder = Path.of(reference);
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("unknown base model '" + reference + "': neither '" + TINY_RANDOM
                    + "' nor a folder holding a Hugging Face model");
        }
        return fromFolder(folder);
    }

    /** A random start of {@code config} over the byte tokenizer. */
    public static BaseModel random(TransformerConfig config) {
        ByteTokenizer tokenizer = new ByteTokenizer();
        if (config.vocabSize() != tokenizer.vocabSize()) {
            throw new IllegalArgumentException("a random start uses the byte tokenizer: vocabSize must be "
                    + tokenizer.vocabSize() + ", was " + config.vocabSize());
        }
        ObjectNode json = HfConfig.toJson(config, ByteTokenizer.BOS, ByteTokenizer.EOS);
        json.put("pad_token_id", tokenizer.padId());
        json.put(BYTE_TOKENIZER_KEY, true);
        return new BaseModel(TINY_RANDOM, config, json, tokenizer, null);
    }

    /** The model in a Hugging Face folder: config.json, weights, and a tokenizer. */
    public static BaseModel fromFolder(Path folder) {
        ObjectNode json = ModelFolder.readConfigJson(folder);
        TransformerConfig config = HfConfig.parse(json, folder.resolve(ModelFolder.CONFIG_FILE).toString());
        Tokenizer tokenizer = Tokenizers.load(folder, json);
        if (tokenizer.vocabSize() > config.vocabSize()) {
            throw new IllegalArgumentException(folder + ": the tokenizer has " + tokenizer.vocabSize()
                    + " ids, more than the model's vocab_size " + config.vocabSize());
        }
        return new BaseModel(folder.toString(), config, json, tokenizer, folder);
    }

    /** The chat template of the tokenizer config, when the model has one (instruction-tuned checkpoints do). */
    public Optional<String> chatTemplate() {
        return tokenizer instanceof HfTokenizer hf ? hf.chatTemplate() : Optional.empty();
    }

    /**
     * A model of this shape in {@code manager}, with fresh {@code lora} adapters when not null, its base weights
     * loaded from the folder (or random for a random start, from the engine's seed).
     */
    public CausalLm instantiate(LoraConfig lora, NDManager manager) {
        CausalLm model = new CausalLm(config, lora);
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        if (folder != null) {
            ModelFolder.loadWeights(model, folder);
        }
        return model;
    }
}
