package dev.finetune.registry.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PromotionGateTest {

    private static PromotionPolicy policy(String metric, boolean higherIsBetter, double overBaseline,
                                          double overProduction) {
        PromotionPolicy p = new PromotionPolicy();
        p.modelName = "m";
        p.metric = metric;
        p.higherIsBetter = higherIsBetter;
        p.minGainOverBaseline = overBaseline;
        p.minGainOverProduction = overProduction;
        p.targetStage = "production";
        return p;
    }

    @Test
    void productionScoredOnThisTestSplitIsPreferredToItsOwnFigures() {
        var production = Optional.of(new PromotionGate.Production(4, Map.of("accuracy", 0.95)));

        var decision = PromotionGate.decide(policy("accuracy", true, 0.1, 0.01),
                Map.of("accuracy", 0.90, "baseline.accuracy", 0.5, "production.accuracy", 0.85), production);

        assertThat(decision.passed()).isTrue();
        assertThat(decision.reason()).isEqualTo("passed: accuracy 0.9000: +0.4000 over the base model (0.5000), "
                + "+0.0500 over production version 4 (0.8500, on this test split)");
    }

    @Test
    void lowerIsBetterMetricsCountAFallAsAGain() {
        var decision = PromotionGate.decide(policy("loss", false, 0.5, 0.0),
                Map.of("loss", 0.4, "baseline.loss", 2.0, "prompt.loss", 1.2), Optional.empty());

        assertThat(decision.passed()).isTrue();
        assertThat(decision.reason()).isEqualTo("passed: loss 0.4000: +0.8000 over the base model with the dataset's prompt (1.2000), "
                + "no production version to compare with");
    }

    @Test
    void theStrongestBaselineIsTheBarEvenWhenItIsTheFewShotPrompt() {
        var decision = PromotionGate.decide(policy("accuracy", true, 0.05, 0),
                Map.of("accuracy", 0.8, "baseline.accuracy", 0.4, "prompt.accuracy", 0.6, "fewshot.accuracy", 0.78),
                Optional.empty());

        assertThat(decision.passed()).isFalse();
        assertThat(decision.reason()).isEqualTo("failed: accuracy 0.8000: +0.0200 over the base model with the "
                + "few-shot prompt (0.7800), less than the 0.0500 required, no production version to compare with");
    }

    @Test
    void aMissingMetricFailsAndSaysWhatThereIs() {
        var decision = PromotionGate.decide(policy("macroF1", true, 0, 0), Map.of("loss", 0.4), Optional.empty());

        assertThat(decision.passed()).isFalse();
        assertThat(decision.reason()).isEqualTo("the evaluation has no macroF1 to gate on (it has [loss])");
    }

    @Test
    void lossesAndFailureRatesImproveByFalling() {
        assertThat(PromotionPolicy.higherIsBetter("accuracy")).isTrue();
        assertThat(PromotionPolicy.higherIsBetter("rougeL")).isTrue();
        assertThat(PromotionPolicy.higherIsBetter("loss")).isFalse();
        assertThat(PromotionPolicy.higherIsBetter("unsupportedRate")).isFalse();
        assertThat(PromotionPolicy.higherIsBetter("outsideLabelsRate")).isFalse();
        assertThat(PromotionPolicy.higherIsBetter("unsupportedShare")).isFalse();
    }
}
