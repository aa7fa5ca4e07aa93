package dev.finetune.lm.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class TrainConfigTest {

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TrainConfig(0, 0, 0, 0, Double.NaN, -1, -0.1, 1L, 0))
                .withMessageContaining("epochs")
                .withMessageContaining("maxSteps")
                .withMessageContaining("batchSize")
                .withMessageContaining("sequenceLength")
                .withMessageContaining("learningRate")
                .withMessageContaining("warmupSteps")
                .withMessageContaining("weightDecay")
                .withMessageContaining("progressEverySteps");
    }

    @Test
    void stepsComeFromEpochsUnlessMaxStepsIsSet() {
        TrainConfig byEpochs = new TrainConfig(3, null, 8, 32, 1e-3, 0, 0.0, 1L, 10);
        TrainConfig bySteps = new TrainConfig(3, 50, 8, 32, 1e-3, 0, 0.0, 1L, 10);

        assertThat(byEpochs.totalSteps(20)).isEqualTo(9); // 3 batches of at most 8, 3 times
        assertThat(bySteps.totalSteps(20)).isEqualTo(50);
    }
}
