package dev.finetune.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RougeTokenizerTest {

    @Test
    void lowerCasesAndSplitsOnAnythingButLettersAndDigits() {
        // rouge/tokenize_test.py test_give_me_a_name
        assertThat(RougeTokenizer.tokenize("one Two three", null)).containsExactly("one", "two", "three");
        assertThat(RougeTokenizer.tokenize("one\n Two \nthree", null)).containsExactly("one", "two", "three");
        assertThat(RougeTokenizer.tokenize("It's 3.14-ish, Zoë!", null))
                .containsExactly("it", "s", "3", "14", "ish", "zo");
        assertThat(RougeTokenizer.tokenize("", null)).isEmpty();
        assertThat(RougeTokenizer.tokenize(" -- / ", null)).isEmpty();
    }

    @Test
    void stemsOnlyTokensLongerThanThreeCharacters() {
        PorterStemmer stemmer = new PorterStemmer(PorterStemmer.Mode.NLTK_EXTENSIONS);
        // "was" would stem to "wa", but 3-character tokens are left alone.
        assertThat(RougeTokenizer.tokenize("The cats was running", stemmer))
                .containsExactly("the", "cat", "was", "run");
    }
}
