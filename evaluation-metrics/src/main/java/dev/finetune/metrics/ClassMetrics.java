package dev.finetune.metrics;

/**
 * Precision, recall and F1 of one class, and its support (how many samples truly have it).
 * Precision is 0 for a class that was never predicted, as scikit-learn reports it.
 */
public record ClassMetrics(String label, double precision, double recall, double f1, int support) {
}
