package dev.finetune.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.finetune.lm.text.SequenceBatch;

/**
 * A {@link SequenceBatch} as NDArrays, created in (and closed with) the caller's short-lived manager.
 *
 * @param inputs  (B, T) int64 token ids
 * @param targets (B, T) int64 next-token ids
 * @param mask    (B, T) float32, 1 where the target counts
 * @param targetCount number of 1s in {@code mask}
 */
public record BatchArrays(NDArray inputs, NDArray targets, NDArray mask, long targetCount) {

    public static BatchArrays of(NDManager manager, SequenceBatch batch) {
        Shape shape = new Shape(batch.rows(), batch.length());
        return new BatchArrays(
                manager.create(batch.inputs(), shape),
                manager.create(batch.targets(), shape),
                manager.create(batch.mask(), shape),
                batch.targetCount());
    }
}
