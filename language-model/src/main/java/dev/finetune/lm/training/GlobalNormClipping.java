package dev.finetune.lm.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.finetune.lm.model.NamedParameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient clipping by global norm (PyTorch's {@code clip_grad_norm_}): if the L2 norm of all gradients together
 * exceeds the limit, every gradient is scaled by the same factor so that it equals the limit.
 *
 * <p>Written here because DJL's optimizer option {@code clipGrad} clamps each element separately, which changes the
 * gradient's direction.
 */
final class GlobalNormClipping {

    private GlobalNormClipping() {}

    /**
     * Clips the gradients of the {@code trainable} parameters in place.
     *
     * @param stepManager owner of the temporary arrays and of the gradient wrappers ({@code getGradient()} makes a
     *                    new one on every call), closed by the caller after the step
     * @return the global norm before clipping
     */
    static double clip(List<NamedParameter> trainable, double maxNorm, NDManager stepManager) {
        List<NDArray> gradients = new ArrayList<>();
        NDArray sumOfSquares = null;
        for (NamedParameter named : trainable) {
            NDArray gradient = named.parameter().getArray().getGradient();
            gradient.attach(stepManager);
            gradients.add(gradient);
            NDArray squares = gradient.square().sum(); // ()
            sumOfSquares = sumOfSquares == null ? squares : sumOfSquares.add(squares);
        }
        if (sumOfSquares == null) {
            return 0;
        }
        double norm = Math.sqrt(sumOfSquares.getFloat());
        if (norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (NDArray gradient : gradients) {
                gradient.muli(scale);
            }
        }
        return norm;
    }
}
