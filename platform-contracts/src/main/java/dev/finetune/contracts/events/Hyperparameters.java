package dev.finetune.contracts.events;

import java.util.List;

/**
 * Training settings of one job. Every field is optional on the wire; {@link #withDefaults()} fills what is
 * missing from {@link #DEFAULTS}, so requests written by hand stay short.
 *
 * @param epochs             passes over the training split
 * @param maxSteps           optional cap on optimizer steps (handy for smoke runs)
 * @param batchSize          sequences per optimizer step
 * @param sequenceLength     tokens per sequence (the context length trained on)
 * @param learningRate       peak learning rate after warm-up
 * @param warmupSteps        linear warm-up steps before cosine decay
 * @param weightDecay        AdamW decoupled weight decay
 * @param seed               seed for initialisation, shuffling and dropout
 * @param progressEverySteps a {@code TrainingProgress} event every this many steps
 */
public record Hyperparameters(
        Integer epochs,
        Integer maxSteps,
        Integer batchSize,
        Integer sequenceLength,
        Double learningRate,
        Integer warmupSteps,
        Double weightDecay,
        Long seed,
        Integer progressEverySteps) {

    public static final Hyperparameters DEFAULTS = new Hyperparameters(3, null, 16, 64, 3e-3, 10, 0.01, 42L, 10);

    /** A copy with every missing field taken from {@link #DEFAULTS}. */
    public Hyperparameters withDefaults() {
        Hyperparameters d = DEFAULTS;
        return new Hyperparameters(
                epochs != null ? epochs : d.epochs,
                maxSteps,
                batchSize != null ? batchSize : d.batchSize,
                sequenceLength != null ? sequenceLength : d.sequenceLength,
                learningRate != null ? learningRate : d.learningRate,
                warmupSteps != null ? warmupSteps : d.warmupSteps,
                weightDecay != null ? weightDecay : d.weightDecay,
                seed != null ? seed : d.seed,
                progressEverySteps != null ? progressEverySteps : d.progressEverySteps);
    }

    public List<String> problems() {
        return new Problems()
                .check(epochs == null || (epochs >= 1 && epochs <= 1000), "epochs", "must be between 1 and 1000")
                .check(maxSteps == null || maxSteps >= 1, "maxSteps", "must be at least 1 when given")
                .check(batchSize == null || (batchSize >= 1 && batchSize <= 4096), "batchSize", "must be between 1 and 4096")
                .check(sequenceLength == null || (sequenceLength >= 8 && sequenceLength <= 32768), "sequenceLength",
                        "must be between 8 and 32768")
                .check(learningRate == null || (learningRate > 0 && learningRate < 1), "learningRate",
                        "must be greater than 0 and less than 1")
                .check(warmupSteps == null || warmupSteps >= 0, "warmupSteps", "must not be negative")
                .check(weightDecay == null || (weightDecay >= 0 && weightDecay < 1), "weightDecay",
                        "must be at least 0 and less than 1")
                .check(progressEverySteps == null || progressEverySteps >= 1, "progressEverySteps", "must be at least 1")
                .toList();
    }
}
