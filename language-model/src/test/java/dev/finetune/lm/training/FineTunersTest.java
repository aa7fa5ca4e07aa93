package dev.finetune.lm.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class FineTunersTest {

    @Test
    void tinyRandomIsTrainedByTheCausalLmEngine() {
        assertThat(FineTuners.forBaseModel("tiny-random")).isInstanceOf(CausalLmFineTuner.class);
    }

    @Test
    void anUnknownNameIsRejectedWithTheKnownOnes() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FineTuners.forBaseModel("gpt-5"))
                .withMessageContaining("gpt-5")
                .withMessageContaining("tiny-random");
    }
}
