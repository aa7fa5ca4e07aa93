package dev.finetune.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A learned affine map of the last axis, {@code x W^T + b}: a plain {@link Dense} layer or a {@link LoraLinear}. */
abstract sealed class Projection extends ModuleBlock permits Dense, LoraLinear {

    /**
     * The projection {@code parent.name}: a {@link LoraLinear} when {@code lora} targets it, else a {@link Dense}.
     *
     * @param conv1d whether checkpoints store the weight input-major (GPT-2)
     */
    static Projection of(String parent, String name, long in, long out, boolean bias, boolean conv1d, LoraConfig lora) {
        Dense dense = new Dense(in, out, bias, conv1d);
        return lora != null && lora.targets(parent, name) ? new LoraLinear(dense, lora) : dense;
    }

    /** (..., in) to (..., out). */
    abstract NDArray apply(ParameterStore parameters, NDArray x, boolean training);

    @Override
    protected NDList forwardInternal(
            ParameterStore parameters, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(parameters, inputs.singletonOrThrow(), training));
    }
}
