package dev.finetune.registry.domain;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The promotion gate's arithmetic, kept apart from storage: whether a version's metrics clear a policy, and why,
 * in words with the figures. Gains are signed so that positive is better, whether the metric rises (accuracy) or
 * falls (loss) as models improve.
 */
public final class PromotionGate {

    /** The evaluator's baseline metric prefixes, with how the gate's reason names each. */
    private static final Map<String, String> BASELINES = orderedOf(
            "baseline.", "base model", "prompt.", "base model with the dataset's prompt",
            "fewshot.", "base model with the few-shot prompt");

    private PromotionGate() {
    }

    /** The decision: passed or not, and the reason with every figure it used. */
    public record Decision(boolean passed, String reason) {
    }

    /** A version that cleared the policy before, for comparison: its number and metrics. */
    public record Production(int version, Map<String, Double> metrics) {
    }

    public static Decision decide(PromotionPolicy policy, Map<String, Double> metrics,
                                  Optional<Production> production) {
        String m = policy.metric;
        Double value = metrics.get(m);
        if (value == null || value.isNaN()) {
            return new Decision(false, "the evaluation has no " + m + " to gate on (it has " + metrics.keySet() + ")");
        }
        StringBuilder reason = new StringBuilder(m + " " + fmt(value));
        boolean passed = true;
        Optional<Map.Entry<String, Double>> baseline = strongestBaseline(m, policy.higherIsBetter, metrics);
        if (baseline.isPresent()) {
            double gain = gain(policy, value, baseline.get().getValue());
            boolean ok = gain >= policy.minGainOverBaseline;
            passed &= ok;
            reason.append(String.format(Locale.ROOT, ": %s over the %s (%s)%s", signed(gain), baseline.get().getKey(),
                    fmt(baseline.get().getValue()),
                    ok ? "" : ", less than the " + fmt(policy.minGainOverBaseline) + " required"));
        } else {
            reason.append(": no baseline to compare with");
        }
        // production scored on this version's test split (by the evaluator) beats its figures from its own
        Double sameSplit = metrics.get("production." + m);
        boolean onThisSplit = sameSplit != null && !sameSplit.isNaN() && production.isPresent();
        Optional<Double> current = onThisSplit ? Optional.of(sameSplit)
                : production.map(p -> p.metrics().get(m)).filter(v -> !v.isNaN());
        if (current.isPresent()) {
            double gain = gain(policy, value, current.get());
            boolean ok = gain >= policy.minGainOverProduction;
            passed &= ok;
            reason.append(String.format(Locale.ROOT, ", %s over production version %d (%s, %s)%s", signed(gain),
                    production.get().version(), fmt(current.get()), onThisSplit ? "on this test split" : "as evaluated",
                    ok ? "" : ", less than the " + fmt(policy.minGainOverProduction) + " required"));
        } else {
            reason.append(", no production version to compare with");
        }
        return new Decision(passed, (passed ? "passed: " : "failed: ") + reason);
    }

    /**
     * The strongest of the base model's scores on {@code metric} (alone, with the dataset's prompt, with solved
     * examples before it), named for a reason: a fine-tune earns its cost only by beating the best that prompting
     * alone reaches.
     */
    public static Optional<Map.Entry<String, Double>> strongestBaseline(String metric, boolean higherIsBetter,
                                                                        Map<String, Double> metrics) {
        Map.Entry<String, Double> best = null;
        for (Map.Entry<String, String> b : BASELINES.entrySet()) {
            Double v = metrics.get(b.getKey() + metric);
            if (v != null && !v.isNaN() && (best == null || gain(higherIsBetter, v, best.getValue()) > 0)) {
                best = Map.entry(b.getValue(), v);
            }
        }
        return Optional.ofNullable(best);
    }

    /** How much {@code value} improves on {@code reference}: positive is better, whichever way the metric runs. */
    public static double gain(boolean higherIsBetter, double value, double reference) {
        return higherIsBetter ? value - reference : reference - value;
    }

    private static double gain(PromotionPolicy policy, double value, double reference) {
        return gain(policy.higherIsBetter, value, reference);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.4f", v);
    }

    private static Map<String, String> orderedOf(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
