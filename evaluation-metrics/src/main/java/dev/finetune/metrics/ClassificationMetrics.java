package dev.finetune.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Accuracy, per-class precision/recall/F1, their macro averages and the confusion matrix of a
 * single-label classification, over an ordered list of labels.
 *
 * <p>Conventions follow scikit-learn's {@code classification_report} and {@code confusion_matrix}:
 * a ratio whose denominator is 0 counts as 0 (a class never predicted has precision 0, a class
 * absent from the truth has recall 0), F1 is {@code 2 tp / (2 tp + fp + fn)}, macro averages weigh
 * every listed label equally, and matrix rows are true labels, columns predicted labels.
 */
public final class ClassificationMetrics {

    private final List<String> labels;
    private final int[][] confusion;
    private final int samples;
    private final List<ClassMetrics> perClass;

    private ClassificationMetrics(List<String> labels, int[][] confusion, int samples) {
        this.labels = labels;
        this.confusion = confusion;
        this.samples = samples;
        this.perClass = computePerClass();
    }

    /**
     * Evaluates predictions against the true labels.
     *
     * @param predicted predicted label per sample
     * @param actual    true label per sample, parallel to {@code predicted}
     * @param labels    every label that may occur, in the order of the report and the matrix
     * @throws IllegalArgumentException on a length mismatch, no samples, duplicate or missing labels,
     *                                  or a sample whose label is not in {@code labels}
     */
    public static ClassificationMetrics evaluate(List<String> predicted, List<String> actual, List<String> labels) {
        Objects.requireNonNull(predicted, "predicted");
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(labels, "labels");
        if (predicted.size() != actual.size()) {
            throw new IllegalArgumentException("predicted has " + predicted.size() + " samples but actual has "
                    + actual.size());
        }
        if (predicted.isEmpty()) {
            throw new IllegalArgumentException("classification metrics need at least one sample");
        }
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("labels must not be empty");
        }
        Map<String, Integer> index = new HashMap<>();
        for (String label : labels) {
            if (index.putIfAbsent(Objects.requireNonNull(label, "label"), index.size()) != null) {
                throw new IllegalArgumentException("label '" + label + "' is listed twice");
            }
        }
        int[][] confusion = new int[labels.size()][labels.size()];
        for (int i = 0; i < predicted.size(); i++) {
            int row = indexOf(index, actual.get(i), "actual", i);
            int column = indexOf(index, predicted.get(i), "predicted", i);
            confusion[row][column]++;
        }
        return new ClassificationMetrics(List.copyOf(labels), confusion, predicted.size());
    }

    private static int indexOf(Map<String, Integer> index, String label, String side, int sample) {
        Integer i = index.get(label);
        if (i == null) {
            throw new IllegalArgumentException(side + " label '" + label + "' of sample " + sample
                    + " is not one of the labels " + index.keySet());
        }
        return i;
    }

    private List<ClassMetrics> computePerClass() {
        List<ClassMetrics> out = new ArrayList<>(labels.size());
        for (int k = 0; k < labels.size(); k++) {
            int tp = confusion[k][k];
            int support = 0;
            int predictedCount = 0;
            for (int j = 0; j < labels.size(); j++) {
                support += confusion[k][j];
                predictedCount += confusion[j][k];
            }
            out.add(new ClassMetrics(labels.get(k), ratio(tp, predictedCount), ratio(tp, support),
                    ratio(2 * tp, support + predictedCount), support));
        }
        return List.copyOf(out);
    }

    private static double ratio(int numerator, int denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }

    /** The labels in report order. */
    public List<String> labels() {
        return labels;
    }

    /** Number of samples evaluated. */
    public int samples() {
        return samples;
    }

    /** Fraction of samples whose prediction equals the truth. */
    public double accuracy() {
        int correct = 0;
        for (int k = 0; k < labels.size(); k++) {
            correct += confusion[k][k];
        }
        return (double) correct / samples;
    }

    /** Per-class metrics in label order. */
    public List<ClassMetrics> perClass() {
        return perClass;
    }

    /** The metrics of one label. */
    public ClassMetrics forLabel(String label) {
        int k = labels.indexOf(label);
        if (k < 0) {
            throw new IllegalArgumentException("'" + label + "' is not one of the labels " + labels);
        }
        return perClass.get(k);
    }

    public double macroPrecision() {
        return perClass.stream().mapToDouble(ClassMetrics::precision).average().orElse(0.0);
    }

    public double macroRecall() {
        return perClass.stream().mapToDouble(ClassMetrics::recall).average().orElse(0.0);
    }

    public double macroF1() {
        return perClass.stream().mapToDouble(ClassMetrics::f1).average().orElse(0.0);
    }

    /** A copy of the confusion matrix: {@code [i][j]} counts samples of true label i predicted as j. */
    public int[][] confusionMatrix() {
        int[][] copy = new int[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }
}
