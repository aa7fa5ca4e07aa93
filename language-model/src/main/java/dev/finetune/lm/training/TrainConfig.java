package dev.finetune.lm.training;

import java.util.ArrayList;
import java.util.List;

/**
 * Hyper-parameters of one fine-tuning run.
 *
 * <p>The constructor checks every field and reports all problems in one {@link IllegalArgumentException}.
 *
 * @param epochs                passes over the training examples, used when {@code maxSteps} is null
 * @param maxSteps              optimizer steps to run, or null; when set it overrides {@code epochs} (as in Hugging
 *                              Face's {@code max_steps}), cycling over the examples, reshuffled each epoch, as often
 *                              as needed
 * @param batchSize             examples per optimizer step (all micro-batches together)
 * @param sequenceLength        input positions per example; longer examples are truncated, and it may not exceed
 *                              the model's context length
 * @param learningRate          peak learning rate, reached at the end of warm-up
 * @param warmupSteps           steps of linear warm-up before the decay
 * @param weightDecay           AdamW decoupled weight decay
 * @param seed                  seed of weight initialisation, shuffling and dropout
 * @param progressEverySteps    report progress and measure validation loss every this many steps, and at the end
 * @param decay                 learning-rate decay after warm-up
 * @param gradientAccumulation  micro-batches per optimizer step: {@code batchSize} examples are split into this many
 *                              forward/backward passes whose gradients add up (memory of a small batch, the update of
 *                              a large one); must divide {@code batchSize}
 * @param earlyStoppingPatience stop after this many validations without a lower validation loss, keeping the best
 *                              weights; null to train every step
 * @param checkpointEverySteps  save a resumable training state every this many steps; null for none
 */
public record TrainConfig(
        int epochs,
        Integer maxSteps,
        int batchSize,
        int sequenceLength,
        double learningRate,
        int warmupSteps,
        double weightDecay,
        long seed,
        int progressEverySteps,
        LearningRateSchedule.Decay decay,
        int gradientAccumulation,
        Integer earlyStoppingPatience,
        Integer checkpointEverySteps) {

    /** AdamW's moment decay rates and epsilon, PyTorch's defaults. */
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPSILON = 1e-8;
    /** Gradients are clipped to this global L2 norm before each update. */
    public static final double MAX_GRADIENT_NORM = 1.0;

    /** Cosine decay, no accumulation, no early stopping, no checkpoints. */
    public TrainConfig(int epochs, Integer maxSteps, int batchSize, int sequenceLength, double learningRate,
            int warmupSteps, double weightDecay, long seed, int progressEverySteps) {
        this(epochs, maxSteps, batchSize, sequenceLength, learningRate, warmupSteps, weightDecay, seed,
                progressEverySteps, LearningRateSchedule.Decay.COSINE, 1, null, null);
    }

    public TrainConfig {
        List<String> problems = new ArrayList<>();
        if (epochs < 1) {
            problems.add("epochs must be >= 1, was " + epochs);
        }
        if (maxSteps != null && maxSteps < 1) {
            problems.add("maxSteps must be >= 1 when set, was " + maxSteps);
        }
        if (batchSize < 1) {
            problems.add("batchSize must be >= 1, was " + batchSize);
        }
        if (sequenceLength < 1) {
            problems.add("sequenceLength must be >= 1, was " + sequenceLength);
        }
        if (!(learningRate > 0 && Double.isFinite(learningRate))) {
            problems.add("learningRate must be a finite number > 0, was " + learningRate);
        }
        if (warmupSteps < 0) {
            problems.add("warmupSteps must be >= 0, was " + warmupSteps);
        }
        if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) {
            problems.add("weightDecay must be a finite number >= 0, was " + weightDecay);
        }
        if (progressEverySteps < 1) {
            problems.add("progressEverySteps must be >= 1, was " + progressEverySteps);
        }
        if (decay == null) {
            problems.add("decay is required (COSINE or LINEAR)");
        }
        if (gradientAccumulation < 1) {
            problems.add("gradientAccumulation must be >= 1, was " + gradientAccumulation);
        } else if (batchSize >= 1 && batchSize % gradientAccumulation != 0) {
            problems.add("gradientAccumulation (" + gradientAccumulation + ") must divide batchSize (" + batchSize + ")");
        }
        if (earlyStoppingPatience != null && earlyStoppingPatience < 1) {
            problems.add("earlyStoppingPatience must be >= 1 when set, was " + earlyStoppingPatience);
        }
        if (checkpointEverySteps != null && checkpointEverySteps < 1) {
            problems.add("checkpointEverySteps must be >= 1 when set, was " + checkpointEverySteps);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid TrainConfig: " + String.join("; ", problems));
        }
    }

    /** Optimizer steps a run over {@code exampleCount} training examples takes. */
    public int totalSteps(int exampleCount) {
        if (maxSteps != null) {
            return maxSteps;
        }
        return Math.multiplyExact(epochs, stepsPerEpoch(exampleCount));
    }

    /** Optimizer steps of one pass over {@code exampleCount} examples (the last batch may be short). */
    public int stepsPerEpoch(int exampleCount) {
        return (exampleCount + batchSize - 1) / batchSize;
    }

    /** Examples per forward/backward pass. */
    public int microBatchSize() {
        return batchSize / gradientAccumulation;
    }
}
