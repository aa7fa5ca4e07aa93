package dev.finetune.stack.demo;

import dev.finetune.contracts.storage.Buckets;
import dev.finetune.contracts.storage.LocalFiles;
import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.contracts.storage.S3Uri;
import dev.finetune.lm.model.TransformerConfig;
import dev.finetune.lm.tokenizer.BpeTrainer;
import dev.finetune.lm.training.LearningRateSchedule;
import dev.finetune.lm.training.Pretraining;
import dev.finetune.lm.training.ProgressListener;
import dev.finetune.lm.training.TrainConfig;
import dev.finetune.lm.training.TrainingResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The demo's base model, {@value #NAME}: a small Llama (4 layers, width 128, grouped-query attention, about 1 M
 * parameters, a 1024-id byte-fallback BPE tokenizer) pre-trained on {@link DemoCorpus}, built once per machine and registered with the stack
 * under {@code s3://models/base/tiny-llama/}, where the trainer finds base models by name.
 */
public final class DemoBaseModel {

    /** The base-model name requests use. */
    public static final String NAME = "tiny-llama";
    /** Characters of generated corpus: about 400 000 tokens. */
    static final int CORPUS_CHARS = 1_500_000;
    static final long SEED = 42;
    /** Pre-training steps: validation loss on the corpus stops improving at about 300. */
    public static final int DEFAULT_STEPS = 400;

    private DemoBaseModel() {}

    /** The pre-training recipe: steps of 16 x 128 tokens (400 take about 40 s on two cores). */
    public static Pretraining recipe(int steps) {
        TransformerConfig shape = TransformerConfig.llama(1024, 256, 4, 128, 4, 2, 352);
        TrainConfig train = new TrainConfig(1, steps, 16, 128, 3e-3, 40, 0.01, SEED, 100,
                LearningRateSchedule.Decay.COSINE, 1, null, null);
        return new Pretraining(shape, 1024, BpeTrainer.Style.LLAMA_BYTE_FALLBACK, train);
    }

    /** Where the built model is kept on this machine: under the stack's data folder, by corpus version. */
    public static Path localFolder(Path dataDir) {
        return dataDir.resolve("base-models").resolve(NAME + "-v" + DemoCorpus.VERSION);
    }

    /**
     * The local folder of the model, pre-training it first when it is not there yet.
     *
     * @param log receives one line per step of the build
     */
    public static Path ensureBuilt(Path dataDir, int steps, ProgressListener progress, Consumer<String> log) {
        Path folder = localFolder(dataDir);
        if (Files.isRegularFile(folder.resolve("manifest.json"))) {
            return folder;
        }
        Path work = dataDir.resolve("base-models").resolve("work-" + NAME);
        LocalFiles.deleteQuietly(work);
        LocalFiles.deleteQuietly(folder);
        log.accept("generating the corpus (" + CORPUS_CHARS / 1000 + " kB) and training its tokenizer");
        String corpus = DemoCorpus.generate(CORPUS_CHARS, SEED);
        log.accept("pre-training " + NAME + " for " + steps + " steps (once per machine)");
        TrainingResult result = recipe(steps).run(corpus, work, folder,
                Map.of("corpus", "DemoCorpus v" + DemoCorpus.VERSION + ", seed " + SEED + ", " + CORPUS_CHARS + " chars"),
                progress);
        LocalFiles.deleteQuietly(work);
        log.accept(String.format("pre-trained: validation loss %.3f (perplexity %.1f) after %d steps, %.0f tokens/s",
                result.finalValidationLoss(), Math.exp(result.finalValidationLoss()), result.steps(),
                result.tokensPerSecond()));
        return folder;
    }

    /**
     * Stores the model under {@code s3://models/base/tiny-llama/} unless that copy is already this one (same
     * manifest).
     *
     * @return whether it uploaded
     */
    public static boolean register(ObjectStore store, Path folder) {
        S3Uri prefix = new S3Uri(Buckets.MODELS, "base/" + NAME);
        S3Uri manifest = new S3Uri(Buckets.MODELS, "base/" + NAME + "/manifest.json");
        try {
            byte[] local = Files.readAllBytes(folder.resolve("manifest.json"));
            if (store.exists(manifest) && Arrays.equals(store.readBytes(manifest), local)) {
                return false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest in " + folder, e);
        }
        store.deleteFolder(prefix);
        store.putFolder(folder, prefix);
        return true;
    }
}
