package dev.finetune.lm.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SpecialTokensTest {

    @Test
    void idsMayComeWithoutTheirText() {
        SpecialTokens tokens = new SpecialTokens(1, "<s>", 2, null, null, null);
        assertThat(tokens.eosId()).isEqualTo(2);
        assertThat(tokens.padId()).isNull();
        assertThat(SpecialTokens.none().bosId()).isNull();
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> new SpecialTokens(-1, "<s>", null, "</s>", -3, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bosId must be >= 0, was -1")
                .hasMessageContaining("eosToken '</s>' has no eosId")
                .hasMessageContaining("padId must be >= 0, was -3");
    }
}
