package dev.finetune.dataset.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SplitRatiosTest {

    private final SplitRatios ratios = new SplitRatios(0.1, 0.1);

    @Test
    void theSameTextAlwaysLandsInTheSameSplit() {
        for (int i = 0; i < 100; i++) {
            String text = "example number " + i;
            assertThat(ratios.assign(text)).isEqualTo(new SplitRatios(0.1, 0.1).assign(text));
        }
    }

    @Test
    void sharesFollowTheRatios() {
        Map<Split, Integer> counts = new EnumMap<>(Split.class);
        for (int i = 0; i < 20_000; i++) {
            counts.merge(ratios.assign("text " + i), 1, Integer::sum);
        }
        assertThat(counts.get(Split.TEST) / 20_000.0).isBetween(0.09, 0.11);
        assertThat(counts.get(Split.VALIDATION) / 20_000.0).isBetween(0.09, 0.11);
        assertThat(counts.get(Split.TRAIN) / 20_000.0).isBetween(0.78, 0.82);
    }

    @Test
    void growingTheTestShareOnlyMovesExamplesIntoTest() {
        SplitRatios larger = new SplitRatios(0.1, 0.2);
        for (int i = 0; i < 2_000; i++) {
            String text = "text " + i;
            if (ratios.assign(text) == Split.TEST) {
                assertThat(larger.assign(text)).isEqualTo(Split.TEST);
            }
        }
    }

    @Test
    void rejectsRatiosThatLeaveNoTrainingData() {
        assertThatThrownBy(() -> new SplitRatios(0.5, 0.5)).hasMessageContaining("together below 1");
        assertThatThrownBy(() -> new SplitRatios(0, 0.1)).hasMessageContaining("validation (0.0)");
    }
}
