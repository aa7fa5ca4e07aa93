package dev.finetune.registry.domain;

import dev.finetune.contracts.events.ModelPromoted;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The promotion gate of one model name (one task): a newly evaluated version moves to {@code targetStage} when its
 * {@code metric} beats the baseline (the better of the base model alone and with the dataset's prompt) by
 * {@code minGainOverBaseline} and the current production version by {@code minGainOverProduction}.
 */
@Entity
@Table(name = "promotion_policy")
public class PromotionPolicy extends PanacheEntityBase {

    @Id
    @Column(name = "model_name")
    public String modelName;
    public String metric;
    @Column(name = "higher_is_better")
    public boolean higherIsBetter;
    @Column(name = "min_gain_over_baseline")
    public double minGainOverBaseline;
    @Column(name = "min_gain_over_production")
    public double minGainOverProduction;
    @Column(name = "target_stage")
    public String targetStage;
    @Column(name = "updated_by")
    public String updatedBy;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /**
     * Whether a rise of the metric is an improvement: true except for loss, perplexity and the evaluator's rates of
     * failure ({@code unsupportedRate}, {@code repetitionRate}, {@code outsideLabelsRate}, {@code unsupportedShare}...).
     */
    public static boolean higherIsBetter(String metric) {
        return !List.of("loss", "perplexity").contains(metric) && !metric.endsWith("Rate") && !metric.endsWith("Share");
    }

    /** Every problem of a policy, each naming its field. */
    public static List<String> problems(String metric, String targetStage, Double minGainOverBaseline,
                                        Double minGainOverProduction) {
        List<String> problems = new ArrayList<>();
        if (metric == null || metric.isBlank() || metric.contains(".")) {
            problems.add("metric: must name an evaluation metric such as accuracy, macroF1 or loss");
        }
        if (!ModelPromoted.STAGING.equals(targetStage) && !ModelPromoted.PRODUCTION.equals(targetStage)) {
            problems.add("targetStage: must be staging or production but was '" + targetStage + "'");
        }
        if (minGainOverBaseline == null || minGainOverBaseline.isNaN()) {
            problems.add("minGainOverBaseline: is required (0 means: at least as good)");
        }
        if (minGainOverProduction == null || minGainOverProduction.isNaN()) {
            problems.add("minGainOverProduction: is required (0 means: at least as good)");
        }
        return problems;
    }
}
