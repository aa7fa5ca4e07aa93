package dev.finetune.lm.training;

import java.util.ArrayList;
import java.util.List;

/**
 * Hyper-parameters of one fine-tuning run.
 *
 * <p>The constructor checks every field and reports all problems in one {@link IllegalArgumentException}.
 *
 * @param epochs             passes over the training examples, used when {@code maxSteps} is null
 * @param maxSteps           optimizer steps to run, or null; when set it overrides {@code epochs} (as in Hugging
 *                           Face's {@code max_steps}), cycling over the examples, reshuffled each epoch, as often
 *                           as needed
 * @param batchSize          examples per optimizer step
 * @param sequenceLength     input positions per example; longer examples are truncated, and it may not exceed the
 *                           model's context length
 * @param learningRate       peak learning rate, reached at the end of warm-up
 * @param warmupSteps        steps of linear warm-up before the cosine decay
 * @param weightDecay        AdamW decoupled weight decay
 * @param seed               seed of weight initialisation and shuffling
 * @param progressEverySteps report progress (with validation loss) every this many steps, and at the end
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
        int progressEverySteps) {

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
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid TrainConfig: " + String.join("; ", problems));
        }
    }

    /** Optimizer steps a run over {@code exampleCount} training examples takes. */
    public int totalSteps(int exampleCount) {
        if (maxSteps != null) {
            return maxSteps;
        }
        int stepsPerEpoch = (exampleCount + batchSize - 1) / batchSize;
        return Math.multiplyExact(epochs, stepsPerEpoch);
    }
}
