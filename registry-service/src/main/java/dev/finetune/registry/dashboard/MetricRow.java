package dev.finetune.registry.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One metric of a model version next to its baselines: the base model alone, with the dataset's prompt, with that
 * prompt after solved examples, and the production version on the same test split; formatted for a table.
 */
public record MetricRow(String name, String fineTuned, String base, String prompt, String fewShot,
                        String production, String changeOverBase) {

    /** The rows of an evaluation's metrics: one per metric, the baselines ({@code prefix.name}) as its columns. */
    public static List<MetricRow> of(Map<String, Double> metrics) {
        List<MetricRow> rows = new ArrayList<>();
        if (metrics == null) {
            return rows;
        }
        metrics.forEach((name, value) -> {
            if (name.contains(".")) {
                return;
            }
            Double base = metrics.get("baseline." + name);
            rows.add(new MetricRow(name, fmt(value), fmt(base), fmt(metrics.get("prompt." + name)),
                    fmt(metrics.get("fewshot." + name)), fmt(metrics.get("production." + name)),
                    base == null || value == null ? "" : String.format(Locale.ROOT, "%+.4f", value - base)));
        });
        return rows;
    }

    static String fmt(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
    }
}
