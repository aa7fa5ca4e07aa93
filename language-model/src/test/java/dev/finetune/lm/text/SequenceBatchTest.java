package dev.finetune.lm.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune.lm.tokenizer.ByteTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceBatchTest {

    private static final long PAD = ByteTokenizer.PAD;
    private final ByteTokenizer tokenizer = new ByteTokenizer();

    @Test
    void onlyCompletionTokensAndEosAreTargetsAfterAPrompt() {
        SequenceBatch batch = SequenceBatch.of(List.of(tokenizer.tokenize(new TrainingExample("ab", "c"))), 16, ByteTokenizer.PAD);

        // tokens BOS a b c EOS: inputs BOS a b c, targets a b c EOS, of which c and EOS are completion
        assertThat(batch.length()).isEqualTo(4);
        assertThat(batch.inputs()).containsExactly(ByteTokenizer.BOS, 'a', 'b', 'c');
        assertThat(batch.targets()).containsExactly('a', 'b', 'c', ByteTokenizer.EOS);
        assertThat(batch.mask()).containsExactly(0f, 0f, 1f, 1f);
    }

    @Test
    void plainTextTargetsEveryTokenAndShortRowsArePaddedAndMaskedOut() {
        SequenceBatch batch = SequenceBatch.of(List.of(
                tokenizer.tokenize(Examples.plainText("abc")),
                tokenizer.tokenize(Examples.plainText("a"))), 16, ByteTokenizer.PAD);

        assertThat(batch.rows()).isEqualTo(2);
        assertThat(batch.length()).isEqualTo(4);
        assertThat(batch.mask()).containsExactly(1f, 1f, 1f, 1f, /* row 2 */ 1f, 1f, 0f, 0f);
        assertThat(batch.inputs()).endsWith(PAD, PAD);
        assertThat(batch.targets()).endsWith(PAD, PAD);
        assertThat(batch.nonPadTokens()).isEqualTo(6);
    }

    @Test
    void plainTextIsTruncatedAtTheEnd() {
        SequenceBatch batch = SequenceBatch.of(List.of(tokenizer.tokenize(Examples.plainText("abcdef"))), 3, ByteTokenizer.PAD);

        assertThat(batch.inputs()).containsExactly(ByteTokenizer.BOS, 'a', 'b');
        assertThat(batch.targets()).containsExactly('a', 'b', 'c');
    }

    @Test
    void aLongPromptLosesItsBeginningSoTheCompletionStaysScored() {
        SequenceBatch batch = SequenceBatch.of(List.of(tokenizer.tokenize(new TrainingExample("abcdefgh", "xy"))), 4, ByteTokenizer.PAD);

        // BOS a..h x y EOS is 12 tokens; the window keeps the last 5: g h x y EOS
        assertThat(batch.inputs()).containsExactly('g', 'h', 'x', 'y');
        assertThat(batch.targets()).containsExactly('h', 'x', 'y', ByteTokenizer.EOS);
        assertThat(batch.mask()).containsExactly(0f, 1f, 1f, 1f);
    }
}
