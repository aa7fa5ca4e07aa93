package dev.finetune.lm.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.Initializer;
import dev.finetune.lm.model.DjlRuntime;
import dev.finetune.lm.model.NamedParameter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optimizer against PyTorch 1.13's {@code torch.optim.AdamW} on the same gradients. */
class AdamWTest {

    @Test
    void threeUpdatesMatchTorchAdamW() {
        // torch.optim.AdamW([w], lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01), w = [1, -2, 0.5],
        // grads [0.5, 0.1, -3], [0.2, -0.4, 1], [0, 1, 2]: weights printed after each step
        float[][] gradients = {{0.5f, 0.1f, -3f}, {0.2f, -0.4f, 1f}, {0f, 1f, 2f}};
        float[][] expected = {
                {0.8990000f, -2.0980000f, 0.5995000f},
                {0.8082435f, -2.0399516f, 0.6389223f},
                {0.7379751f, -2.0804961f, 0.6302537f}};
        DjlRuntime.disableGradientRecording();
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            Parameter parameter = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT)
                    .optInitializer(Initializer.ZEROS).optShape(new Shape(3)).build();
            parameter.initialize(manager, DataType.FLOAT32);
            parameter.getArray().set(new float[] {1f, -2f, 0.5f});
            List<NamedParameter> trainable = List.of(new NamedParameter("w", parameter, false));
            AdamW adamW = new AdamW(0.9, 0.999, 1e-8, 0.01);

            for (int step = 0; step < 3; step++) {
                NDArray weight = parameter.getArray();
                try (GradientCollector collector = DjlRuntime.engine().newGradientCollector();
                        NDManager scratch = manager.newSubManager()) {
                    // d/dw of sum(w * g) is g: the gradient PyTorch was given
                    collector.backward(weight.mul(scratch.create(gradients[step])).sum());
                }
                try (NDManager scratch = manager.newSubManager()) {
                    adamW.update(trainable, 0.1, scratch);
                }
                assertThat(weight.toFloatArray()).as("after step %d", step + 1)
                        .containsExactly(expected[step], within(2e-6f));
            }
            assertThat(adamW.updates()).isEqualTo(3);
            assertThat(adamW.state()).containsOnlyKeys("w.exp_avg", "w.exp_avg_sq");
        }
    }
}
