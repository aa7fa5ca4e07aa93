package dev.finetune.lm.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    private final LearningRateSchedule schedule = new LearningRateSchedule(1e-3, 10, 111);

    @Test
    void warmUpRisesLinearlyToThePeak() {
        assertThat(schedule.at(0)).isCloseTo(1e-4, within(1e-12));
        assertThat(schedule.at(4)).isCloseTo(5e-4, within(1e-12));
        assertThat(schedule.at(9)).isCloseTo(1e-3, within(1e-12));
    }

    @Test
    void cosineDecaysFromThePeakToTenPercentAtTheLastStep() {
        assertThat(schedule.at(10)).isCloseTo(1e-3, within(1e-12));
        assertThat(schedule.at(60)).isCloseTo(0.55e-3, within(1e-12)); // half way: mean of peak and floor
        assertThat(schedule.at(110)).isCloseTo(1e-4, within(1e-12));
        assertThat(schedule.at(500)).isCloseTo(1e-4, within(1e-12));
    }

    @Test
    void decayIsMonotonic() {
        for (int step = 10; step < 110; step++) {
            assertThat(schedule.at(step + 1)).isLessThanOrEqualTo(schedule.at(step));
        }
    }

    @Test
    void withoutWarmUpTheFirstStepIsAtThePeak() {
        LearningRateSchedule noWarmUp = new LearningRateSchedule(2e-3, 0, 5);

        assertThat(noWarmUp.at(0)).isEqualTo(2e-3);
        assertThat(noWarmUp.at(4)).isCloseTo(2e-4, within(1e-12));
        assertThat(new LearningRateSchedule(2e-3, 0, 1).at(0)).isEqualTo(2e-3);
    }

    @Test
    void linearDecayFallsInEqualStepsToTheSameFloor() {
        LearningRateSchedule linear = new LearningRateSchedule(1.0, 1, 11, LearningRateSchedule.Decay.LINEAR);

        assertThat(linear.at(0)).isEqualTo(1.0); // end of warm-up
        assertThat(linear.at(1)).isEqualTo(1.0); // decay starts from the peak
        assertThat(linear.at(2)).isCloseTo(0.9, within(1e-12));
        assertThat(linear.at(6)).isCloseTo(0.5, within(1e-12));
        assertThat(linear.at(10)).isCloseTo(0.1, within(1e-12));
    }
}
