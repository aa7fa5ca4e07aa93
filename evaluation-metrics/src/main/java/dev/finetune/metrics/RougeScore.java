package dev.finetune.metrics;

/**
 * Precision, recall and F-measure of one ROUGE variant, each in [0, 1] (rouge-score's {@code Score}).
 */
public record RougeScore(double precision, double recall, double fmeasure) {

    /** The score of a pair that shares nothing, or where either side has no tokens. */
    public static final RougeScore ZERO = new RougeScore(0.0, 0.0, 0.0);

    /** Builds a score from precision and recall; F is their harmonic mean, 0 when both are 0. */
    public static RougeScore of(double precision, double recall) {
        double f = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
        return new RougeScore(precision, recall, f);
    }
}
