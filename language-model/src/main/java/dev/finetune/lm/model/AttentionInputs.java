package dev.finetune.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * What every attention layer of one forward pass shares: the additive mask and, for rotary models, the angles.
 *
 * <p>Dimensions: B batch size, T new positions, Tk positions attended to (cached + new).
 *
 * @param mask   (B or 1, 1, 1, T, Tk): 0 where a query may read a key, {@link #MASKED} where it is in the future or
 *               padding; null when every query may read every key
 * @param angles rotation angles of the new positions, or null for learned positions
 */
@SuppressWarnings("checkstyle:LocalVariableName")
record AttentionInputs(NDArray mask, RotaryEmbedding.Angles angles) {

    /** {@code scores} with the mask added, (..., T, Tk); {@code squeeze} drops the group axis for 4-D scores. */
    NDArray masked(NDArray scores, boolean squeeze) {
        if (mask == null) {
            return scores;
        }
        return scores.add(squeeze ? mask.squeeze(1) : mask);
    }

    /** Added to masked scores; finite, so a row with every key masked (a padding query) gives no NaN. */
    static final float MASKED = -1e9f;

    /**
     * The causal mask of T new positions after {@code past} cached ones, combined with the padding of the keys.
     *
     * @param keyPadding (B, Tk) 1 for real tokens and 0 for padding, or null when no key is padding
     */
    static NDArray mask(NDManager manager, long T, long past, NDArray keyPadding) {
        long Tk = past + T;
        NDArray query = manager.arange((int) past, (int) (past + T), 1, DataType.INT64).reshape(T, 1); // (T, 1)
        NDArray key = manager.arange(0, (int) Tk, 1, DataType.INT64).reshape(1, Tk); // (1, Tk)
        NDArray mask = key.gt(query).toType(DataType.FLOAT32, false).mul(MASKED).reshape(1, 1, 1, T, Tk);
        if (keyPadding != null) {
            long B = keyPadding.getShape().get(0);
            NDArray padding = keyPadding.toType(DataType.FLOAT32, false).neg().add(1f).mul(MASKED)
                    .reshape(B, 1, 1, 1, Tk); // (B, 1, 1, 1, Tk)
            mask = mask.add(padding); // (B, 1, 1, T, Tk)
        }
        return mask;
    }
}
