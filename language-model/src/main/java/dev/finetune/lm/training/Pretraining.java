package dev.finetune.lm.training;

import dev.finetune.lm.checkpoint.HfConfig;
import dev.finetune.lm.checkpoint.ModelFolder;
import dev.finetune.lm.model.TransformerConfig;
import dev.finetune.lm.text.Examples;
import dev.finetune.lm.text.TrainingExample;
import dev.finetune.lm.tokenizer.BpeTrainer;
import dev.finetune.lm.tokenizer.HfTokenizer;
import dev.finetune.lm.tokenizer.SpecialTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes a small pre-trained base model from a text corpus: a byte-pair tokenizer trained on the corpus, a random
 * model of the given shape over its vocabulary, then causal language modelling on the corpus, saved as a Hugging
 * Face folder that fine-tunes like any other.
 *
 * <p>No pre-trained weights can be downloaded on an offline machine; this is how the demo gets a base model that
 * already knows its domain's language, so that a fine-tune's gain over it can be measured.
 *
 * @param shape          the model shape; its vocabulary size is replaced by the trained tokenizer's
 * @param vocabSize      ids the tokenizer may learn (bytes and special tokens included)
 * @param tokenizerStyle GPT-2 byte-level or Llama byte-fallback
 * @param train          the pre-training run (steps, batch, learning rate, sequence length)
 */
public record Pretraining(TransformerConfig shape, int vocabSize, BpeTrainer.Style tokenizerStyle, TrainConfig train) {

    /** Share of the packed corpus held out for validation loss. */
    static final double VALIDATION_SHARE = 0.02;

    /**
     * Pre-trains on {@code corpus} (one text per line) into {@code output}.
     *
     * @param workDir    scratch for the tokenizer and the random start, which the caller may delete afterwards
     * @param provenance copied into the manifest (corpus name and hash, generator version)
     */
    public TrainingResult run(String corpus, Path workDir, Path output, Map<String, String> provenance,
            ProgressListener listener) {
        Path start = workDir.resolve("random-start");
        try {
            new BpeTrainer(tokenizerStyle, vocabSize).train(corpus).writeTo(start);
            TransformerConfig config;
            List<TrainingExample> examples;
            try (HfTokenizer tokenizer = HfTokenizer.load(start)) {
                config = shape.withVocabSize(tokenizer.vocabSize());
                SpecialTokens special = tokenizer.specialTokens();
                ModelFolder.saveRandom(config, HfConfig.toJson(config, special.bosId(), special.eosId()), start,
                        train.seed());
                examples = Examples.packed(corpus.lines().toList(), tokenizer, train.sequenceLength());
            }
            int held = Math.max(1, (int) (examples.size() * VALIDATION_SHARE));
            List<TrainingExample> validation = new ArrayList<>(examples.subList(0, held));
            List<TrainingExample> training = new ArrayList<>(examples.subList(held, examples.size()));
            FineTuneJob job = new FineTuneJob(start.toString(), training, validation, train, output, provenance);
            return new CausalLmFineTuner().fineTune(job, listener);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare pre-training in " + workDir, e);
        }
    }
}
