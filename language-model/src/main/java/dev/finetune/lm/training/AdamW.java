package dev.finetune.lm.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.finetune.lm.model.NamedParameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter 2019) exactly as PyTorch's {@code torch.optim.AdamW} computes it, over the trainable
 * parameters only (frozen base weights of a LoRA run get no state).
 *
 * <p>{@code w <- w (1 - lr wd)}, then {@code w <- w - lr m_hat / (sqrt(v_hat) + eps)} with bias-corrected moments.
 * Written here rather than taken from DJL, whose kernel adds epsilon before the bias correction and keeps its moments
 * out of reach: a run resumed from a checkpoint needs them. Moments live in the parameters' manager; every temporary
 * of a step is attached to the step's manager, so native memory stays flat over a run.
 */
final class AdamW {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
    private int updates;

    AdamW(double beta1, double beta2, double epsilon, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    /** Updates done so far (PyTorch's per-parameter {@code step}). */
    int updates() {
        return updates;
    }

    /**
     * One update of every trainable parameter from its gradient, which is then zeroed for the next step.
     *
     * @param step owner of this update's temporaries, closed by the caller
     */
    void update(List<NamedParameter> trainable, double learningRate, NDManager step) {
        updates++;
        float correction1 = (float) (1 - Math.pow(beta1, updates));
        float sqrtCorrection2 = (float) Math.sqrt(1 - Math.pow(beta2, updates));
        float decay = (float) (1 - learningRate * weightDecay);
        float stepSize = (float) (learningRate / correction1);
        for (NamedParameter named : trainable) {
            NDArray weight = named.parameter().getArray();
            NDArray gradient = temporary(weight.getGradient(), step);
            NDArray[] state = moments.computeIfAbsent(named.name(), name -> new NDArray[] {
                    weight.zerosLike(), weight.zerosLike()});
            NDArray mean = state[0];
            NDArray variance = state[1];
            mean.muli((float) beta1).addi(temporary(gradient.mul((float) (1 - beta1)), step));
            variance.muli((float) beta2).addi(temporary(temporary(gradient.square(), step).muli((float) (1 - beta2)), step));
            NDArray denominator = temporary(variance.sqrt(), step).divi(sqrtCorrection2).addi((float) epsilon);
            NDArray change = temporary(mean.mul(stepSize), step).divi(denominator);
            weight.muli(decay).subi(change);
            gradient.subi(gradient); // zero in place: the next backward accumulates from nothing
        }
    }

    /** The moments by parameter name ({@code <name>.exp_avg}, {@code <name>.exp_avg_sq}), for a checkpoint. */
    Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        moments.forEach((name, pair) -> {
            state.put(name + ".exp_avg", pair[0]);
            state.put(name + ".exp_avg_sq", pair[1]);
        });
        return state;
    }

    /** Restores moments saved by {@link #state()} after {@code updates} updates; values are copied in. */
    void restore(List<NamedParameter> trainable, Map<String, float[]> state, int updatesDone) {
        for (NamedParameter named : trainable) {
            float[] mean = state.get(named.name() + ".exp_avg");
            float[] variance = state.get(named.name() + ".exp_avg_sq");
            if (mean == null || variance == null) {
                throw new IllegalArgumentException("the checkpoint has no optimizer state for " + named.name());
            }
            NDArray weight = named.parameter().getArray();
            NDArray m = weight.zerosLike();
            NDArray v = weight.zerosLike();
            m.set(mean);
            v.set(variance);
            moments.put(named.name(), new NDArray[] {m, v});
        }
        this.updates = updatesDone;
    }

    /** Results join their first operand's manager; moving them to the step's manager frees them with the step. */
    private static NDArray temporary(NDArray array, NDManager step) {
        array.attach(step);
        return array;
    }
}
