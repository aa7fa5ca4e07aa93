package dev.finetune.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected values come from sacreBLEU's own test files (test/test_bleu.py, test/test_sentence_bleu.py). */
class BleuTest {

    // test_bleu.py: _refs and _hyps, the README example with two reference sets.
    private static final List<List<String>> REFS = List.of(
            List.of("The dog bit the man.", "It was not unexpected.", "The man bit him first."),
            List.of("The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."));
    private static final List<String> HYPS = List.of(
            "The dog bit the man.", "It wasn't surprising.", "The man had just bitten him.");

    @Test
    void twoReferenceSetsWithDefaults() {
        // test_bleu.py test_corpus_bleu: (_hyps, _refs, {}, 48.530827)
        BleuScore bleu = Bleu.corpus(HYPS, REFS);
        assertThat(bleu.score()).isCloseTo(48.530827, within(1e-8));
        // closest lengths 6 + 5 + 7 against 17 hypothesis tokens
        assertThat(bleu.sysLen()).isEqualTo(17);
        assertThat(bleu.refLen()).isEqualTo(18);
        assertThat(bleu.bp()).isCloseTo(Math.exp(1 - 18.0 / 17), within(1e-12));
    }

    @Test
    void emptyHypothesesAreKeptAndScoreZero() {
        // test_bleu.py test_corpus_bleu: (('', '', ''), _refs, {}, 0.0)
        BleuScore bleu = Bleu.corpus(List.of("", "", ""), REFS);
        assertThat(bleu.score()).isEqualTo(0.0);
        assertThat(bleu.sysLen()).isZero();
        assertThat(bleu.bp()).isEqualTo(0.0);
    }

    @Test
    void perfectMatchScoresOneHundred() {
        // test_bleu.py test_raw_bleu: (["this is a test"], ["this is a test"], 1.0)
        BleuScore bleu = Bleu.corpus(List.of("this is a test"), List.of(List.of("this is a test")));
        assertThat(bleu.score()).isCloseTo(100.0, within(1e-9));
        assertThat(bleu.precisions()).containsExactly(100.0, 100.0, 100.0, 100.0);
    }

    @Test
    void sufficientStatisticsOfOneSegment() {
        // test_bleu.py test_statistics: Statistics([4, 2, 1, 0], [6, 5, 4, 3])
        BleuScore bleu = Bleu.corpus(List.of("am I am a character sequence"),
                List.of(List.of("I am a symbol string sequence a a")));
        assertThat(bleu.counts()).containsExactly(4, 2, 1, 0);
        assertThat(bleu.totals()).containsExactly(6, 5, 4, 3);
        assertThat(bleu.sysLen()).isEqualTo(6);
        assertThat(bleu.refLen()).isEqualTo(8);
        // exp smoothing: the 4-gram order with no match gets 100 / (2 * 3) percent.
        assertThat(bleu.precisions().get(3)).isCloseTo(100.0 / 6, within(1e-12));
        assertThat(bleu.bp()).isCloseTo(Math.exp(1 - 8.0 / 6), within(1e-12));
    }

    @Test
    void scoreFromStatistics() {
        // test_bleu.py test_scoring: ((Statistics([9, 7, 5, 3], [10, 8, 6, 4]), 11, 11), 0.8375922397)
        BleuScore bleu = Bleu.fromStatistics(new int[] {9, 7, 5, 3}, new int[] {10, 8, 6, 4}, 11, 11);
        assertThat(bleu.score() / 100).isCloseTo(0.8375922397, within(1e-8));
    }

    @Test
    void singleSegmentWithExpSmoothing() {
        // test_sentence_bleu.py test_api_sentence_bleu: ('exp', None, False, '13a', 8.493); every n-gram order
        // has hypothesis n-grams here, so effective_order makes no difference and corpus BLEU agrees.
        String ref = "producţia de zahăr brut se exprimă în zahăr alb;";
        String sys = "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;";
        assertThat(Bleu.corpus(List.of(sys), List.of(List.of(ref))).score()).isCloseTo(8.493, within(1e-3));
    }

    @Test
    void noMatchAtAllScoresZero() {
        // test_sentence_bleu.py test_api_sentence_bleu_zero: ('exp', None, False, '13a', 0.0)
        BleuScore bleu = Bleu.corpus(List.of("this is a cat"), List.of(List.of("okay thanks")));
        assertThat(bleu.score()).isEqualTo(0.0);
        assertThat(bleu.precisions()).containsExactly(0.0, 0.0, 0.0, 0.0);
    }

    @Test
    void closestReferenceLengthPrefersTheShorterOnATie() {
        assertThat(Bleu.closestReferenceLength(3, List.of(4, 2))).isEqualTo(2);
        assertThat(Bleu.closestReferenceLength(3, List.of(5, 4, 1))).isEqualTo(4);
    }

    @Test
    void emptyReferencesAreSkippedPerSegment() {
        BleuScore withEmpty = Bleu.corpus(HYPS, List.of(REFS.get(0), List.of("", "", "")));
        BleuScore single = Bleu.corpus(HYPS, List.of(REFS.get(0)));
        assertThat(withEmpty).isEqualTo(single);
    }

    @Test
    void refusesMisalignedOrMissingReferences() {
        assertThatThrownBy(() -> Bleu.corpus(HYPS, List.of(List.of("only one"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reference set 0 has 1 segments but there are 3 hypotheses");
        assertThatThrownBy(() -> Bleu.corpus(List.of("a"), List.of(List.of(""))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segment 0 has no non-empty reference");
        assertThatThrownBy(() -> Bleu.corpus(List.of(), List.of(List.of())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Bleu.corpus(List.of("a"), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
