package dev.finetune.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * Normalisation over the last axis (width C), per position: GPT-2's LayerNorm (gain and shift) or Llama's RMSNorm
 * (gain only, no mean subtraction).
 */
abstract sealed class Norm extends ModuleBlock permits Norm.LayerNorm, Norm.RmsNorm {

    static Norm of(TransformerConfig config) {
        return config.family() == ModelFamily.GPT2
                ? new LayerNorm(config.width(), config.normEps())
                : new RmsNorm(config.width(), config.normEps());
    }

    /** (B, T, C) to (B, T, C). */
    abstract NDArray apply(ParameterStore parameters, NDArray x, boolean training);

    @Override
    protected NDList forwardInternal(
            ParameterStore parameters, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(parameters, inputs.singletonOrThrow(), training));
    }

    /** {@code (x - mean) / sqrt(var + eps) * weight + bias}, PyTorch's fused kernel. */
    static final class LayerNorm extends Norm {
        private final Parameter weight;
        private final Parameter bias;
        private final float eps;
        private final Shape normalized;

        LayerNorm(int width, double eps) {
            this.weight = addParameter(Parameters.gain("weight", width));
            this.bias = addParameter(Parameters.shift("bias", width));
            this.eps = (float) eps;
            this.normalized = new Shape(width);
        }

        @Override
        NDArray apply(ParameterStore parameters, NDArray x, boolean training) {
            NDArray gain = parameters.getValue(weight, x.getDevice(), training);
            NDArray shift = parameters.getValue(bias, x.getDevice(), training);
            return ai.djl.nn.norm.LayerNorm.layerNorm(x, normalized, gain, shift, eps).singletonOrThrow();
        }

        @Override
        void nameParameters(String prefix, List<NamedParameter> names) {
            names.add(new NamedParameter(prefix + "weight", weight, false));
            names.add(new NamedParameter(prefix + "bias", bias, false));
        }
    }

    /** {@code x / sqrt(mean(x^2) + eps) * weight} (Zhang and Sennrich 2019), as Llama computes it. */
    static final class RmsNorm extends Norm {
        private final Parameter weight;
        private final float eps;

        RmsNorm(int width, double eps) {
            this.weight = addParameter(Parameters.gain("weight", width));
            this.eps = (float) eps;
        }

        @Override
        NDArray apply(ParameterStore parameters, NDArray x, boolean training) {
            NDArray gain = parameters.getValue(weight, x.getDevice(), training);
            NDArray meanSquare = x.square().mean(new int[] {-1}, true); // (B, T, 1)
            return x.div(meanSquare.add(Constants.of(x, eps)).sqrt()).mul(gain); // (B, T, C)
        }

        @Override
        void nameParameters(String prefix, List<NamedParameter> names) {
            names.add(new NamedParameter(prefix + "weight", weight, false));
        }
    }
}
