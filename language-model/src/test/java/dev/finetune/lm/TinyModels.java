package dev.finetune.lm;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.finetune.lm.checkpoint.BaseModel;
import dev.finetune.lm.checkpoint.HfConfig;
import dev.finetune.lm.checkpoint.ModelFolder;
import dev.finetune.lm.model.CausalLm;
import dev.finetune.lm.model.DjlRuntime;
import dev.finetune.lm.model.ModelFamily;
import dev.finetune.lm.model.TransformerConfig;
import dev.finetune.lm.tokenizer.BpeTrainer;
import dev.finetune.lm.tokenizer.HfTokenizer;
import dev.finetune.lm.tokenizer.SpecialTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Tiny GPT-2 and Llama checkpoints in Hugging Face layout, built in tests (no model can be downloaded here). */
public final class TinyModels {

    private TinyModels() {}

    /** GPT-2 over the byte tokenizer: 2 layers, width 32, 4 heads, context 64. */
    public static TransformerConfig gpt2() {
        return TransformerConfig.gpt2(259, 64, 2, 32, 4);
    }

    /** Llama over the byte tokenizer with grouped-query attention: 2 layers, width 32, 4 heads, 2 kv heads. */
    public static TransformerConfig llama() {
        return TransformerConfig.llama(259, 64, 2, 32, 4, 2, 64);
    }

    /** Qwen2-style: Llama with q/k/v biases, a tied head, one kv head and another rope theta. */
    public static TransformerConfig qwen2() {
        return new TransformerConfig("qwen2", ModelFamily.LLAMA, 259, 64, 2, 32, 4, 1, 8, 48, 1e-6, 1_000_000, true,
                true, 0.0);
    }

    /** A folder with config.json and model.safetensors holding random weights (std {@code std}) of {@code config}. */
    public static Path write(Path folder, TransformerConfig config, long seed, float std) {
        DjlRuntime.engine().setRandomSeed((int) seed);
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            CausalLm model = new CausalLm(config);
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
            model.namedParameters().forEach(named -> {
                var array = named.parameter().getArray();
                manager.randomNormal(0, std, array.getShape(), DataType.FLOAT32).copyTo(array);
            });
            ModelFolder.save(model, BaseModel.random(config).configJson(), folder);
            return folder;
        }
    }

    /**
     * A complete Hugging Face folder as other tools make it: a byte-pair tokenizer trained here ({@code tokenizer.json}
     * in GPT-2's byte-level or Llama's byte-fallback style), config.json with its special ids, random weights.
     */
    public static Path writeWithTokenizer(Path folder, ModelFamily family, long seed) {
        BpeTrainer.Style style = family == ModelFamily.GPT2
                ? BpeTrainer.Style.GPT2_BYTE_LEVEL : BpeTrainer.Style.LLAMA_BYTE_FALLBACK;
        try {
            new BpeTrainer(style, 320).train(CORPUS).writeTo(folder);
            int vocab;
            SpecialTokens special;
            try (HfTokenizer tokenizer = HfTokenizer.load(folder)) {
                vocab = tokenizer.vocabSize();
                special = tokenizer.specialTokens();
            }
            TransformerConfig config = family == ModelFamily.GPT2
                    ? TransformerConfig.gpt2(vocab, 64, 1, 16, 2)
                    : TransformerConfig.llama(vocab, 64, 1, 16, 2, 1, 32);
            return ModelFolder.saveRandom(config, HfConfig.toJson(config, special.bosId(), special.eosId()), folder, seed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String CORPUS = String.join("\n",
            "Text: the film was a delight from start to end\nLabel: positive",
            "Text: a dull and tired story, badly told\nLabel: negative",
            "Once upon a time a small model learned to read. It read every line twice.",
            "Item seven of some text, item eight of some more text, even and odd items.",
            "The quick brown fox jumps over the lazy dog; the lazy dog sleeps on.").repeat(20);
}
