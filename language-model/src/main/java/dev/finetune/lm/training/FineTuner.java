package dev.finetune.lm.training;

/**
 * Fine-tunes one base model on examples and saves the result: the seam where engines plug in.
 *
 * <p>{@link CausalLmFineTuner} trains GPT-2 and Llama-family models (from Hugging Face folders or a random start),
 * FULL or LoRA. Implementations hold DJL's single gradient collector while they train, so calls in one JVM run one
 * after the other ({@link TrainingLock}).
 */
public interface FineTuner {

    /**
     * Trains on {@code job.train()}, reports progress to {@code listener}, and saves the model to
     * {@code job.outputDir()}.
     *
     * @throws IllegalArgumentException when the job does not fit this engine
     * @throws java.io.UncheckedIOException when saving fails
     */
    TrainingResult fineTune(FineTuneJob job, ProgressListener listener);
}
