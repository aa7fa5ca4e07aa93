package dev.finetune.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * The position-wise feed-forward network: GPT-2's {@code c_proj(gelu_tanh(c_fc(x)))} or Llama's SwiGLU
 * {@code down_proj(silu(gate_proj(x)) * up_proj(x))}.
 *
 * <p>Dimensions: B batch size, T sequence length, C width, F the inner width ({@code mlpWidth}).
 */
abstract sealed class Mlp extends ModuleBlock permits Mlp.GeluMlp, Mlp.SwiGlu {

    static Mlp of(TransformerConfig config, LoraConfig lora) {
        return config.family() == ModelFamily.GPT2 ? new GeluMlp(config, lora) : new SwiGlu(config, lora);
    }

    /** (B, T, C) to (B, T, C). */
    abstract NDArray apply(ParameterStore parameters, NDArray x, boolean training);

    @Override
    protected NDList forwardInternal(
            ParameterStore parameters, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(parameters, inputs.singletonOrThrow(), training));
    }

    /**
     * GPT-2's {@code gelu_new}, {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, computed as the equal
     * {@code x sigmoid(2 sqrt(2/pi) x (1 + 0.044715 x^2))}: six element-wise ops instead of nine (DJL has no fused
     * tanh-approximate GELU). DJL's GELU is the exact erf form, up to 1e-3 away: enough to drift from a GPT-2
     * checkpoint's outputs.
     */
    static NDArray geluTanh(NDArray x) {
        float scale = (float) (2 * Math.sqrt(2 / Math.PI));
        NDArray inner = x.square().mul(Constants.of(x, 0.044715f * scale)).add(Constants.of(x, scale)).mul(x);
        return x.mul(Activation.sigmoid(inner));
    }

    /** {@code x * sigmoid(x)}. */
    static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    static final class GeluMlp extends Mlp {
        private final Projection fc;
        private final Projection proj;

        GeluMlp(TransformerConfig config, LoraConfig lora) {
            this.fc = addChildBlock("c_fc", Projection.of("mlp", "c_fc", config.width(), config.mlpWidth(), true, true, lora));
            this.proj = addChildBlock("c_proj",
                    Projection.of("mlp", "c_proj", config.mlpWidth(), config.width(), true, true, lora));
        }

        @Override
        NDArray apply(ParameterStore parameters, NDArray x, boolean training) {
            NDArray hidden = geluTanh(fc.apply(parameters, x, training)); // (B, T, F)
            return proj.apply(parameters, hidden, training); // (B, T, C)
        }

        @Override
        void nameParameters(String prefix, List<NamedParameter> names) {
            fc.nameParameters(prefix + "c_fc.", names);
            proj.nameParameters(prefix + "c_proj.", names);
        }
    }

    static final class SwiGlu extends Mlp {
        private final Projection gate;
        private final Projection up;
        private final Projection down;

        SwiGlu(TransformerConfig config, LoraConfig lora) {
            int c = config.width();
            int f = config.mlpWidth();
            this.gate = addChildBlock("gate_proj", Projection.of("mlp", "gate_proj", c, f, false, false, lora));
            this.up = addChildBlock("up_proj", Projection.of("mlp", "up_proj", c, f, false, false, lora));
            this.down = addChildBlock("down_proj", Projection.of("mlp", "down_proj", f, c, false, false, lora));
        }

        @Override
        NDArray apply(ParameterStore parameters, NDArray x, boolean training) {
            NDArray gated = silu(gate.apply(parameters, x, training)).mul(up.apply(parameters, x, training)); // (B, T, F)
            return down.apply(parameters, gated, training); // (B, T, C)
        }

        @Override
        void nameParameters(String prefix, List<NamedParameter> names) {
            gate.nameParameters(prefix + "gate_proj.", names);
            up.nameParameters(prefix + "up_proj.", names);
            down.nameParameters(prefix + "down_proj.", names);
        }
    }
}
