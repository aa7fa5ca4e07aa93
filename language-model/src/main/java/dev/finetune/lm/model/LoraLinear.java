package dev.finetune.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * A linear layer with a LoRA adapter: {@code y = x W^T + b + (alpha / r) * dropout(x) A^T B^T}.
 *
 * <p>Dimensions: in, out the base layer's; r the adapter rank. A (r, in) starts uniform in +-1/sqrt(in) (PEFT's
 * Kaiming-uniform), B (out, r) at zero, so a fresh adapter leaves the base model's outputs unchanged. The base W and
 * b are frozen by the model when LoRA trains; only A and B reach the optimizer.
 */
final class LoraLinear extends Projection {

    private final Dense base;
    private final Parameter loraA;
    private final Parameter loraB;
    private final float scaling;
    private final float dropout;

    LoraLinear(Dense base, LoraConfig lora) {
        this.base = addChildBlock("base", base);
        this.loraA = addParameter(Parameters.uniform("lora_A", (float) (1 / Math.sqrt(base.in)), lora.rank(), base.in));
        this.loraB = addParameter(Parameters.zeros("lora_B", base.out, lora.rank()));
        this.scaling = (float) lora.scaling();
        this.dropout = (float) lora.dropout();
    }

    Dense base() {
        return base;
    }

    Parameter loraA() {
        return loraA;
    }

    Parameter loraB() {
        return loraB;
    }

    float scaling() {
        return scaling;
    }

    @Override
    NDArray apply(ParameterStore parameters, NDArray x, boolean training) {
        NDArray y = base.apply(parameters, x, training); // (..., out)
        NDArray a = parameters.getValue(loraA, x.getDevice(), training); // (r, in)
        NDArray b = parameters.getValue(loraB, x.getDevice(), training); // (out, r)
        NDArray adapterInput = training && dropout > 0 ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
        NDArray low = Linear.linear(adapterInput, a).singletonOrThrow(); // (..., r)
        return y.add(Linear.linear(low, b).singletonOrThrow().mul(Constants.of(x, scaling))); // (..., out)
    }

    /** Adds {@code (alpha / r) B A} to the base weight and zeroes B, leaving the layer's outputs unchanged. */
    void merge() {
        NDArray w = base.weight().getArray();
        try (NDManager scratch = w.getManager().newSubManager()) {
            NDArray update = loraB.getArray().matMul(loraA.getArray()); // (out, in)
            update.attach(scratch); // results join their first operand's (the model's) manager: free it here
            update.muli(scaling).addi(w).copyTo(w);
            loraB.getArray().muli(0f);
        }
    }


    @Override
    void nameParameters(String prefix, List<NamedParameter> names) {
        base.nameParameters(prefix, names);
        names.add(new NamedParameter(prefix + "lora_A.weight", loraA, false));
        names.add(new NamedParameter(prefix + "lora_B.weight", loraB, false));
    }
}
