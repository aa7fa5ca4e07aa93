package dev.finetune.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * Scalar constants for the differentiable path, as 0-d arrays that live as long as the array they scale.
 *
 * <p>DJL 0.36's {@code NDArray.mul(Number)} (and add, div) wraps the number in an array backed by a Java buffer and
 * closes it as soon as the op returns; PyTorch's autograd keeps that tensor to compute the backward pass, and reads
 * it after the buffer may have been collected. Measured here as NaN or infinite gradients in about one run of
 * 2 500 steps in four. Constants made by this class belong to the operand's (per-step) manager instead, so they
 * outlive the backward pass.
 */
final class Constants {

    private Constants() {}

    /**
     * {@code value} as a 0-d float32 array in {@code like}'s manager, kept out of any {@link NDScope} (a scope would
     * close it, and free its buffer, before the backward pass).
     */
    static NDArray of(NDArray like, float value) {
        NDArray constant = like.getManager().create(value);
        NDScope.unregister(constant);
        return constant;
    }
}
