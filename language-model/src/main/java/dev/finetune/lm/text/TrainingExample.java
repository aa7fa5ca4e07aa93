package dev.finetune.lm.text;

import java.util.Objects;

/**
 * One training example for a causal language model: a prompt and the completion the model should learn to write.
 *
 * <p>When the prompt is empty the example is plain text and every token is a training target; otherwise only the
 * completion (and the end-of-sequence token after it) is.
 *
 * @param prompt     text the model is conditioned on, never a target; {@code ""} for plain text
 * @param completion text the model learns to produce after the prompt
 */
public record TrainingExample(String prompt, String completion) {

    public TrainingExample {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(completion, "completion");
    }

    /** Whether this example is plain text (empty prompt), so that all of its tokens are targets. */
    public boolean isPlainText() {
        return prompt.isEmpty();
    }
}
