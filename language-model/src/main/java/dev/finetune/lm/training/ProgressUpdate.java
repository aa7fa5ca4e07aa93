package dev.finetune.lm.training;

/**
 * A progress report from a running fine-tune.
 *
 * @param step            optimizer steps completed so far (1-based, increasing from report to report)
 * @param totalSteps      steps the run will take
 * @param epoch           epoch of the last step (0-based)
 * @param trainLoss       mean training loss of the steps since the previous report
 * @param validationLoss  mean loss per target token on the validation examples now, or null without validation
 *                        examples
 * @param learningRate    learning rate of the last step
 * @param tokensPerSecond non-pad input tokens per second of training (forward, backward, update) since the
 *                        previous report
 */
public record ProgressUpdate(
        int step,
        int totalSteps,
        int epoch,
        double trainLoss,
        Double validationLoss,
        double learningRate,
        double tokensPerSecond) {

    /** One line for a person watching: step, epoch, losses, learning rate, throughput. */
    public String summary() {
        return String.format("step %4d/%d  epoch %d  train loss %.4f%s  lr %.2e  %.0f tok/s", step, totalSteps, epoch,
                trainLoss, validationLoss == null ? "" : String.format("  val loss %.4f", validationLoss), learningRate,
                tokensPerSecond);
    }
}
