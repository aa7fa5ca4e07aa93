package dev.finetune.lm.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ByteLevelSymbolsTest {

    @Test
    void printableBytesComeFirstAndStandForThemselves() {
        assertThat(ByteLevelSymbols.byteAt(0)).isEqualTo('!');
        assertThat(ByteLevelSymbols.charOf('!')).isEqualTo('!');
        assertThat(ByteLevelSymbols.byteAt(93)).isEqualTo('~');
        assertThat(ByteLevelSymbols.charOf('é')).isEqualTo('é');
    }

    @Test
    void theOtherBytesAreShiftedPastLatin1InByteOrder() {
        // GPT-2's well-known ids: byte 0 is 188 ('Ā'), the space 220 ('Ġ'), the newline 198 ('Ċ')
        assertThat(ByteLevelSymbols.byteAt(188)).isEqualTo(0);
        assertThat(ByteLevelSymbols.charOf(0)).isEqualTo('Ā');
        assertThat(ByteLevelSymbols.byteAt(220)).isEqualTo(' ');
        assertThat(ByteLevelSymbols.charOf(' ')).isEqualTo('Ġ');
        assertThat(ByteLevelSymbols.byteAt(198)).isEqualTo('\n');
        assertThat(ByteLevelSymbols.charOf('\n')).isEqualTo('Ċ');
    }

    @Test
    void everyByteHasItsOwnVisibleCharacterAndPosition() {
        Set<Character> chars = new HashSet<>();
        Set<Integer> bytes = new HashSet<>();
        for (int i = 0; i < 256; i++) {
            char c = ByteLevelSymbols.charOf(i);
            chars.add(c);
            bytes.add(ByteLevelSymbols.byteAt(i));
            assertThat(Character.isWhitespace(c) || Character.isISOControl(c)).as("byte %d", i).isFalse();
        }
        assertThat(chars).hasSize(256);
        assertThat(bytes).hasSize(256);
    }
}
