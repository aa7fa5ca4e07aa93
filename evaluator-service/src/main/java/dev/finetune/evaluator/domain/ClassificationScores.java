package dev.finetune.evaluator.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy and confusion matrix of predicted against true labels.
 *
 * @param confusion rows are true labels, columns predicted labels, both in {@code labels} order
 */
public record ClassificationScores(List<String> labels, long[][] confusion, int total, int correct) {

    public static ClassificationScores of(List<String> labels, List<String> truth, List<String> predicted) {
        if (truth.size() != predicted.size()) {
            throw new IllegalArgumentException(truth.size() + " true labels but " + predicted.size() + " predictions");
        }
        long[][] confusion = new long[labels.size()][labels.size()];
        int correct = 0;
        for (int i = 0; i < truth.size(); i++) {
            int t = labels.indexOf(truth.get(i));
            int p = labels.indexOf(predicted.get(i));
            if (t < 0 || p < 0) {
                throw new IllegalArgumentException("label '" + (t < 0 ? truth.get(i) : predicted.get(i))
                        + "' is not in the label set " + labels);
            }
            confusion[t][p]++;
            if (t == p) {
                correct++;
            }
        }
        return new ClassificationScores(List.copyOf(labels), confusion, truth.size(), correct);
    }

    public double accuracy() {
        return total == 0 ? Double.NaN : correct / (double) total;
    }

    /** The matrix as {@code true label -> predicted label -> count}, for the JSON report. */
    public Map<String, Map<String, Long>> confusionByLabel() {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (int t = 0; t < labels.size(); t++) {
            Map<String, Long> row = new LinkedHashMap<>();
            for (int p = 0; p < labels.size(); p++) {
                row.put(labels.get(p), confusion[t][p]);
            }
            out.put(labels.get(t), row);
        }
        return out;
    }
}
