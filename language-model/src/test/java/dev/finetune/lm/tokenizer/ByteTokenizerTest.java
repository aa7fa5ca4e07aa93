package dev.finetune.lm.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune.lm.text.Examples;
import dev.finetune.lm.text.TokenizedExample;
import dev.finetune.lm.text.TrainingExample;
import org.junit.jupiter.api.Test;

class ByteTokenizerTest {

    private final ByteTokenizer tokenizer = new ByteTokenizer();

    @Test
    void vocabularyIsBytesPlusThreeSpecialTokens() {
        assertThat(tokenizer.vocabSize()).isEqualTo(259);
        assertThat(new int[] {ByteTokenizer.BOS, ByteTokenizer.EOS, ByteTokenizer.PAD}).containsExactly(256, 257, 258);
    }

    @Test
    void asciiEncodesToItsBytes() {
        assertThat(tokenizer.encode("Hi!")).containsExactly('H', 'i', '!');
    }

    @Test
    void nonAsciiTextSurvivesTheRoundTrip() {
        String text = "Grüße, 東京 🚀 naïve café";
        int[] ids = tokenizer.encode(text);

        assertThat(ids.length).isGreaterThan(text.length()); // multi-byte characters
        assertThat(java.util.Arrays.stream(ids)).allMatch(id -> id >= 0 && id < 256);
        assertThat(tokenizer.decode(ids)).isEqualTo(text);
    }

    @Test
    void decodeWritesOrSkipsSpecialTokensAndRejectsUnknownIds() {
        int[] ids = {ByteTokenizer.BOS, 'o', 'k', ByteTokenizer.EOS, ByteTokenizer.PAD};
        assertThat(tokenizer.decode(ids, true)).isEqualTo("ok");
        assertThat(tokenizer.decode(ids)).isEqualTo("<s>ok</s><pad>");
        assertThat(tokenizer.encodeWithTemplate("ok")).containsExactly(ByteTokenizer.BOS, 'o', 'k');
        assertThatThrownBy(() -> tokenizer.decode(new int[] {259})).hasMessageContaining("259");
    }

    @Test
    void tokenizeFramesTheExampleAndMarksWhereTargetsStart() {
        TokenizedExample withPrompt = tokenizer.tokenize(new TrainingExample("ab", "c"));
        assertThat(withPrompt.tokens()).containsExactly(ByteTokenizer.BOS, 'a', 'b', 'c', ByteTokenizer.EOS);
        assertThat(withPrompt.targetStart()).isEqualTo(3);

        TokenizedExample plain = tokenizer.tokenize(Examples.plainText("xy"));
        assertThat(plain.tokens()).containsExactly(ByteTokenizer.BOS, 'x', 'y', ByteTokenizer.EOS);
        assertThat(plain.targetStart()).isEqualTo(1);
    }
}
