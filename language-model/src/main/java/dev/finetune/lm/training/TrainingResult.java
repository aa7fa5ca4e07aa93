package dev.finetune.lm.training;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Outcome of a finished fine-tune.
 *
 * @param modelDir            directory holding the saved model (config.json, weights, manifest.json)
 * @param steps               optimizer steps run
 * @param initialTrainLoss    loss of the first training batch before any update
 * @param finalTrainLoss      mean training loss over the steps since the last-but-one progress report
 * @param finalValidationLoss validation loss of the saved weights, NaN without validation examples
 * @param tokensPerSecond     non-pad input tokens per second of training steps over the whole run
 * @param duration            wall-clock time of the run up to saving (the manifest records it, so it cannot include the writing of the manifest)
 * @param stoppedEarly        whether early stopping ended the run before its planned last step; the saved weights are
 *                            then those of the best validation
 */
public record TrainingResult(
        Path modelDir,
        int steps,
        double initialTrainLoss,
        double finalTrainLoss,
        double finalValidationLoss,
        double tokensPerSecond,
        Duration duration,
        boolean stoppedEarly) {}
