package dev.finetune.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * sacreBLEU ships no unit test for its 13a tokenizer, so these outputs were obtained by running the
 * rules of sacreBLEU's Tokenizer13a and TokenizerRegexp (the same four Python regular expressions)
 * on each input; "I'm a student." is also the expected output in flexeval's test_sacrebleu_13a_tokenizer.
 */
class Tokenizer13aTest {

    static Stream<Arguments> cases() {
        return Stream.of(
            Arguments.of("I'm a student.", "I'm a student ."),
            Arguments.of("Hello, world! It's 3.14 and 1,000,000.", "Hello , world ! It's 3.14 and 1,000,000 ."),
            Arguments.of("&quot;Quoted&quot; &amp; &lt;tagged&gt; &amp;quot;", "\" Quoted \" & < tagged > & quot ;"),
            Arguments.of("well-known 5-6 year-old co-op -- dash", "well-known 5 - 6 year-old co-op -- dash"),
            Arguments.of("a.b,c 1.b a.1 end.", "a . b , c 1 . b a . 1 end ."),
            Arguments.of("$5.00 (approx.) 50% [x]{y}#z~ `tick` ^caret_under\\back", "$ 5.00 ( approx . ) 50 % [ x ] { y } # z ~ ` tick ` ^ caret _ under \\ back"),
            Arguments.of("e.g. U.S.A. 2.5-3.0", "e . g . U . S . A . 2.5 - 3.0"),
            Arguments.of("It wasn't surprising.", "It wasn't surprising ."),
            Arguments.of("<skipped>gone", "gone"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void tokenizesLikeSacreBleu(String input, String expected) {
        assertThat(Tokenizer13a.tokenize(input)).isEqualTo(expected);
    }

    @Test
    void joinsHyphenatedLineBreaksAndSplitsOnPythonWhitespace() {
        assertThat(Tokenizer13a.tokenize("line one-\nline two\nthree")).isEqualTo("line oneline two three");
        assertThat(Tokenizer13a.tokenize("x\u00a0y\u2003z\u0085w")).isEqualTo("x y z w");
        assertThat(Tokenizer13a.tokenize("   ")).isEmpty();
    }
}
