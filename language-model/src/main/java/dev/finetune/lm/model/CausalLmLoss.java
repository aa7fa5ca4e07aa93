package dev.finetune.lm.model;

import ai.djl.ndarray.NDArray;

/**
 * Masked next-token cross-entropy, the loss of causal language modelling.
 *
 * <p>Dimensions: B batch size, T sequence length, V vocabulary size. Positions whose mask is 0 (padding, prompt
 * tokens of a prompt/completion example) contribute nothing.
 */
@SuppressWarnings("checkstyle:LocalVariableName")
public final class CausalLmLoss {

    private CausalLmLoss() {}

    /**
     * Negative log-likelihood of each target, zeroed where {@code mask} is 0.
     *
     * @param logits  (B, T, V) float
     * @param targets (B, T) int64 next-token ids
     * @param mask    (B, T) float, 1 for targets that count
     * @return (B, T) masked NLL, in {@code logits}' manager
     */
    public static NDArray tokenNll(NDArray logits, NDArray targets, NDArray mask) {
        NDArray logProbs = logits.logSoftmax(2); // (B, T, V)
        NDArray picked = logProbs.gather(targets.expandDims(2), 2).squeeze(2); // (B, T, 1) -> (B, T)
        return picked.neg().mul(mask); // (B, T)
    }

    /** Mean NLL over the {@code targetCount} unmasked targets; 0 when there are none (nothing to learn). */
    public static NDArray meanNll(NDArray logits, NDArray targets, NDArray mask, long targetCount) {
        NDArray count = Constants.of(logits, Math.max(1L, targetCount)); // outlives the backward pass
        return tokenNll(logits, targets, mask).sum().div(count); // ()
    }
}
