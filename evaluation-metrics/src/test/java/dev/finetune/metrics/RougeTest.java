package dev.finetune.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Expected values come from rouge-score's rouge/rouge_scorer_test.py; the "AgainstRouge155" ones were
 * produced by the official ROUGE-1.5.5 perl script on the first two lines of rouge/testdata/target.txt
 * and prediction.txt, copied below.
 */
class RougeTest {

    private static final double PLACES_5 = 5e-6;

    private static final String TARGET_0 = "ZfbCUIUuePaiLVUlCaUXxkpu XPeWing tUHfPMuZ',-Xd Y BrUgVJing M-HV.-DgdDaY"
            + ".rFDJCRing Ht-LM EKBDXkME,yz'RBr q'wtion wIojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxer tKM L\n";
    private static final String TARGET_1 = "KsJdPByEtAor fE-Qg Dpdbring cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion "
            + "BDFhrpMtion psing sbKao Q m qiing LMmer HqqLFXe,XPY,J XsurkMer ,ed nB'wH'bWVHjWFEing "
            + "tQ.saefZwJtKrTlixYpMMsJing UCAPwNHeYVjDing c T BUySKtion gMPfJpwGw p'NvxAoping eu pBwMBKV'I "
            + "DNxqelhu,PHPxDEq,mtion SN\n";
    private static final String PREDICTION_0 = "rFDJCRtion Ht-LM EKtDXkME,yz'RBr q'wer wrojNbN wL,b "
            + ".a-'XdQggyFl jB-RPP'iyOIcUxi\n";
    private static final String PREDICTION_1 = "n cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMer pstion sbKao Q m "
            + "qier LMmed HqqLFXe,XPY,J XsurkMeo ,ed nB'wH'bWVHjWFEer tQ.saefZwJtKrTlixYpMMNJtion UCAPwNHeYVjD\n";

    private final Rouge plain = Rouge.withoutStemming();
    private final Rouge stemmed = Rouge.withStemming();

    private static void assertScore(RougeScore s, double precision, double recall, double f, double tolerance) {
        assertThat(s.precision()).as("precision").isCloseTo(precision, within(tolerance));
        assertThat(s.recall()).as("recall").isCloseTo(recall, within(tolerance));
        assertThat(s.fmeasure()).as("fmeasure").isCloseTo(f, within(tolerance));
    }

    @Test
    void rouge1() {
        // testRouge1: score("testing one two", "testing")
        assertScore(plain.score("testing", "testing one two").rouge1(), 1, 1.0 / 3, 1.0 / 2, 1e-12);
    }

    @Test
    void rouge2() {
        // testRouge2: score("testing one two", "testing one")
        assertScore(plain.score("testing one", "testing one two").rouge2(), 1, 1.0 / 2, 2.0 / 3, 1e-12);
    }

    @Test
    void rougeLConsecutiveAndNot() {
        // testRougeLConsecutive, testRougeLNonConsecutive, testMultipleRougeTypes
        RougeScores consecutive = plain.score("testing one", "testing one two");
        assertScore(consecutive.rougeL(), 1, 2.0 / 3, 4.0 / 5, 1e-12);
        assertScore(consecutive.rouge1(), 1, 2.0 / 3, 4.0 / 5, 1e-12);
        assertScore(plain.score("testing two", "testing one two").rougeL(), 1, 2.0 / 3, 4.0 / 5, 1e-12);
    }

    @Test
    void emptyPredictionScoresZero() {
        // testRougeEmpty: score("testing one two", "")
        RougeScores s = plain.score("", "testing one two");
        assertThat(List.of(s.rouge1(), s.rouge2(), s.rougeL())).containsOnly(RougeScore.ZERO);
        RougeScores bothEmpty = plain.score("", "");
        assertThat(List.of(bothEmpty.rouge1(), bothEmpty.rouge2(), bothEmpty.rougeL())).containsOnly(RougeScore.ZERO);
        // All punctuation tokenizes to nothing.
        assertThat(plain.score("/", "w1 w2").rougeL()).isEqualTo(RougeScore.ZERO);
    }

    @Test
    void againstRouge155WithoutStemming() {
        // testRouge1AgainstRouge155, testRouge2AgainstRouge155, testRougeLAgainstRouge155
        RougeScores first = plain.score(PREDICTION_0, TARGET_0);
        assertScore(first.rouge1(), 0.68750, 0.40741, 0.51163, PLACES_5);
        assertScore(first.rouge2(), 0.53333, 0.30769, 0.39024, PLACES_5);
        assertScore(first.rougeL(), 0.68750, 0.40741, 0.51163, PLACES_5);
        RougeScores second = plain.score(PREDICTION_1, TARGET_1);
        assertScore(second.rouge1(), 0.65385, 0.40476, 0.50000, PLACES_5);
        assertScore(second.rouge2(), 0.48000, 0.29268, 0.36364, PLACES_5);
        assertScore(second.rougeL(), 0.65385, 0.40476, 0.50000, PLACES_5);
    }

    @Test
    void againstRouge155WithStemming() {
        // testRouge1AgainstRouge155WithStemming, testRouge2AgainstRouge155WithStemming
        RougeScores first = stemmed.score(PREDICTION_0, TARGET_0);
        assertScore(first.rouge1(), 0.68750, 0.40741, 0.51163, PLACES_5);
        assertScore(first.rouge2(), 0.53333, 0.30769, 0.39024, PLACES_5);
        RougeScores second = stemmed.score(PREDICTION_1, TARGET_1);
        assertScore(second.rouge1(), 0.69231, 0.42857, 0.52941, PLACES_5);
        assertScore(second.rouge2(), 0.48000, 0.29268, 0.36364, PLACES_5);
    }

    @Test
    void multipleReferencesTakeTheBestFMeasurePerVariant() {
        RougeScores best = plain.scoreMulti("testing one", List.of("nothing shared", "testing one two"));
        assertScore(best.rouge1(), 1, 2.0 / 3, 4.0 / 5, 1e-12);
        assertScore(best.rouge2(), 1, 1.0 / 2, 2.0 / 3, 1e-12);
    }

    @Test
    void corpusIsTheMeanOfPairScores() {
        RougeScores corpus = plain.corpus(List.of("testing", ""), List.of(List.of("testing one two", "anything")));
        // pair 1: P 1, R 1/3, F 1/2; pair 2: all zero.
        assertScore(corpus.rouge1(), 0.5, 1.0 / 6, 0.25, 1e-12);
        assertThatThrownBy(() -> plain.corpus(List.of("a"), List.of(List.of("a", "b"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reference set 0 has 2 segments but there are 1 predictions");
    }
}
