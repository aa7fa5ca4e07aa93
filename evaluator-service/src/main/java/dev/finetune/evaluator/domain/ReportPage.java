package dev.finetune.evaluator.domain;

import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the HTML report shows, prepared for its template ({@code templates/report.html}): the metrics of the
 * fine-tuned model next to the base model alone and with the dataset's prompt, the confusion matrix, sample
 * predictions and the worst errors. Numbers are formatted here, so the template only lays them out.
 */
@TemplateData
public record ReportPage(String jobId, String model, String dataset, String task, int testExamples,
                         String createdAt, List<MetricRow> metrics, List<String> labels,
                         List<ConfusionRow> confusion, List<ClassRow> perClass, List<PredictionRow> samples,
                         List<PredictionRow> worstErrors, List<UnsupportedRow> unsupported) {

    /** A generated answer with its unsupported items marked, for the page to highlight. */
    @TemplateData
    public record UnsupportedRow(String prompt, List<Segment> answer, String items, String rate) {
    }

    /** A run of an answer's text, marked when it is an unsupported item. */
    @TemplateData
    public record Segment(String text, boolean marked) {
    }

    static UnsupportedRow row(EvaluationReport.Unsupported u) {
        List<Segment> segments = new ArrayList<>();
        if (u.items().isEmpty()) {
            segments.add(new Segment(u.answer(), false));
        } else {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(u.items().stream()
                    .sorted(java.util.Comparator.comparingInt(String::length).reversed())
                    .map(java.util.regex.Pattern::quote).reduce((a, b) -> a + "|" + b)
                    .map(alternatives -> "(?<![\\p{L}\\p{N}])(?:" + alternatives + ")(?![\\p{L}\\p{N}])").orElseThrow())
                    .matcher(u.answer());
            int at = 0;
            while (m.find()) {
                if (m.start() > at) {
                    segments.add(new Segment(u.answer().substring(at, m.start()), false));
                }
                segments.add(new Segment(m.group(), true));
                at = m.end();
            }
            if (at < u.answer().length()) {
                segments.add(new Segment(u.answer().substring(at), false));
            }
        }
        return new UnsupportedRow(u.prompt(), segments, String.join(", ", u.items()),
                String.format(Locale.ROOT, "%.2f", u.rate()));
    }

    /** One label's precision, recall, F1 and support. */
    @TemplateData
    public record ClassRow(String label, String precision, String recall, String f1, int support) {
    }

    /**
     * One metric: fine-tuned, base model, base model with the dataset's prompt (zero-shot and few-shot), the
     * production version, and the gain over the base.
     */
    @TemplateData
    public record MetricRow(String name, String fineTuned, String base, String prompt, String fewShot,
                            String production,
                            String change) {
    }

    /** A true label's row of the confusion matrix, with which cell is the diagonal. */
    @TemplateData
    public record ConfusionRow(String label, List<ConfusionCell> cells) {
    }

    @TemplateData
    public record ConfusionCell(long count, boolean correct) {
    }

    @TemplateData
    public record PredictionRow(String text, String reference, String predicted, String confidence, boolean correct) {
    }

    public static ReportPage of(EvaluationReport r) {
        List<MetricRow> metrics = new ArrayList<>();
        for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
            String name = m.getKey();
            if (name.contains(".")) {
                continue;  // baseline.*, prompt.*, fewshot.* and production.* are columns of their metric's row
            }
            Double base = r.metrics().get(ModelEvaluator.BASELINE_PREFIX + name);
            Double prompt = r.metrics().get(ModelEvaluator.PROMPT_PREFIX + name);
            Double fewShot = r.metrics().get(ModelEvaluator.FEW_SHOT_PREFIX + name);
            Double production = r.metrics().get(ModelEvaluator.PRODUCTION_PREFIX + name);
            metrics.add(new MetricRow(name, fmt(m.getValue()), fmt(base), fmt(prompt), fmt(fewShot), fmt(production),
                    base == null ? "" : String.format(Locale.ROOT, "%+.4f", m.getValue() - base)));
        }
        List<String> labels = r.confusionMatrix() == null ? List.of() : List.copyOf(r.confusionMatrix().keySet());
        List<ConfusionRow> confusion = new ArrayList<>();
        if (r.confusionMatrix() != null) {
            r.confusionMatrix().forEach((truth, row) -> confusion.add(new ConfusionRow(truth, labels.stream()
                    .map(p -> new ConfusionCell(row.getOrDefault(p, 0L), p.equals(truth))).toList())));
        }
        return new ReportPage(r.jobId(), r.model().uri(), r.dataset().name() + " " + r.dataset().version(), r.task(),
                r.testExamples(), r.createdAt().toString(), metrics, labels, confusion,
                r.perClass() == null ? List.of() : r.perClass().stream().map(c -> new ClassRow(c.label(),
                        fmt(c.precision()), fmt(c.recall()), fmt(c.f1()), c.support())).toList(),
                rows(r.samplePredictions()), rows(r.worstErrors()),
                r.unsupported() == null ? List.of() : r.unsupported().stream().map(ReportPage::row).toList());
    }

    private static List<PredictionRow> rows(List<EvaluationReport.Prediction> predictions) {
        return predictions == null ? List.of() : predictions.stream()
                .map(p -> new PredictionRow(p.text(), p.reference(), p.predicted(),
                        p.confidence() == null ? "" : String.format(Locale.ROOT, "%.3f", p.confidence()), p.correct()))
                .toList();
    }

    private static String fmt(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
    }
}
