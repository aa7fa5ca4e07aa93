package dev.finetune.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * A linear layer, {@code y = x W^T + b}, with W kept (out, in) as PyTorch's {@code nn.Linear} keeps it.
 *
 * <p>{@code conv1d} marks GPT-2's Conv1D layers, whose checkpoints store W transposed, (in, out); the values here
 * stay (out, in) and only the checkpoint name mapping records the transpose.
 */
final class Dense extends Projection {

    private final Parameter weight;
    private final Parameter bias;
    private final boolean conv1d;
    final long in;
    final long out;

    Dense(long in, long out, boolean withBias, boolean conv1d) {
        this.in = in;
        this.out = out;
        this.conv1d = conv1d;
        this.weight = addParameter(Parameters.weight("weight", out, in));
        this.bias = withBias ? addParameter(Parameters.bias("bias", out)) : null;
    }

    Parameter weight() {
        return weight;
    }

    @Override
    NDArray apply(ParameterStore parameters, NDArray x, boolean training) {
        NDArray w = parameters.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : parameters.getValue(bias, x.getDevice(), training);
        return Linear.linear(x, w, b).singletonOrThrow();
    }


    @Override
    void nameParameters(String prefix, List<NamedParameter> names) {
        names.add(new NamedParameter(prefix + "weight", weight, conv1d));
        if (bias != null) {
            names.add(new NamedParameter(prefix + "bias", bias, false));
        }
    }
}
