package dev.finetune.lm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backpropagation against finite differences, in float64, on one-layer models of each family (LoRA adapters
 * included): every block's backward pass is what its forward pass implies.
 */
class GradientCheckTest {

    private static final double STEP = 1e-6;

    static Stream<Arguments> models() {
        TransformerConfig gpt2 = TransformerConfig.gpt2(11, 8, 1, 8, 2);
        TransformerConfig llama = new TransformerConfig("qwen2", ModelFamily.LLAMA, 11, 8, 1, 8, 2, 1, 4, 12, 1e-6,
                10_000, true, false, 0.0);
        return Stream.of(
                Arguments.of("gpt2", gpt2, LoraConfig.attention(ModelFamily.GPT2, 2, 4, 0.0)),
                Arguments.of("qwen2 (GQA, biases)", llama, new LoraConfig(2, 4, 0.0,
                        Set.of("q_proj", "v_proj", "down_proj"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyParametersGradientMatchesFiniteDifferences(String name, TransformerConfig config, LoraConfig lora) {
        DjlRuntime.disableGradientRecording();
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            DjlRuntime.engine().setRandomSeed(3);
            CausalLm model = new CausalLm(config, lora);
            model.initialize(manager, DataType.FLOAT64, new Shape(1, 1));
            for (NamedParameter named : model.namedParameters()) { // B non-zero too, so adapter paths carry gradient
                NDArray array = named.parameter().getArray();
                manager.randomNormal(0, 0.5f, array.getShape(), DataType.FLOAT64).copyTo(array);
            }
            ParameterStore parameters = new ParameterStore(manager, false);
            NDArray inputs = manager.create(new long[] {3, 1, 4, 1, 5, 9}, new Shape(1, 6));
            NDArray targets = manager.create(new long[] {1, 4, 1, 5, 9, 2}, new Shape(1, 6));
            NDArray mask = manager.ones(new Shape(1, 6), DataType.FLOAT64);

            try (GradientCollector collector = DjlRuntime.engine().newGradientCollector()) {
                collector.backward(loss(model, parameters, inputs, targets, mask));
            }
            Random pick = new Random(5);
            int checked = 0;
            for (NamedParameter named : model.namedParameters()) {
                NDArray weight = named.parameter().getArray();
                double[] analytic = weight.getGradient().toDoubleArray();
                double[] values = weight.toDoubleArray();
                for (int sample = 0; sample < 3; sample++) {
                    int i = pick.nextInt(values.length);
                    double original = values[i];
                    values[i] = original + STEP;
                    weight.set(values);
                    double plus = loss(model, parameters, inputs, targets, mask).getDouble();
                    values[i] = original - STEP;
                    weight.set(values);
                    double minus = loss(model, parameters, inputs, targets, mask).getDouble();
                    values[i] = original;
                    weight.set(values);
                    double numeric = (plus - minus) / (2 * STEP);
                    assertThat(analytic[i]).as("%s[%d]", named.name(), i)
                            .isCloseTo(numeric, within(1e-6 + 1e-4 * Math.abs(numeric)));
                    checked++;
                }
            }
            assertThat(checked).isGreaterThan(40);
        }
    }

    private static NDArray loss(CausalLm model, ParameterStore parameters, NDArray inputs, NDArray targets,
            NDArray mask) {
        NDArray logits = model.forward(parameters, new NDList(inputs), true).singletonOrThrow();
        return CausalLmLoss.meanNll(logits, targets, mask, 6);
    }
}
