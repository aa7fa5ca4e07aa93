package dev.finetune.lm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class ModelConfigTest {

    @Test
    void tinyPresetIsValidAndFitsTheByteTokenizer() {
        ModelConfig tiny = ModelConfig.tiny();

        assertThat(tiny.vocabSize()).isEqualTo(259);
        assertThat(tiny.headSize()).isEqualTo(16);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ModelConfig(0, -1, 0, 0, 0, 1.0))
                .withMessageContaining("vocabSize")
                .withMessageContaining("contextLength")
                .withMessageContaining("layers")
                .withMessageContaining("width")
                .withMessageContaining("heads")
                .withMessageContaining("dropout");
    }

    @Test
    void widthMustDivideIntoHeads() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ModelConfig(259, 16, 1, 10, 4, 0.0))
                .withMessageContaining("width (10) must be divisible by heads (4)");
    }
}
