package dev.finetune.metrics;

import java.util.List;

/**
 * A corpus BLEU score with the sufficient statistics it was computed from, laid out as sacreBLEU's
 * {@code BLEUScore}.
 *
 * @param score      BLEU on the 0-100 scale
 * @param counts     matched (clipped) n-gram counts, index 0 for unigrams
 * @param totals     hypothesis n-gram counts, index 0 for unigrams
 * @param precisions n-gram precisions in percent, after smoothing
 * @param bp         brevity penalty
 * @param sysLen     total hypothesis length in tokens
 * @param refLen     total closest-reference length in tokens
 */
public record BleuScore(double score, List<Integer> counts, List<Integer> totals, List<Double> precisions,
        double bp, int sysLen, int refLen) {

    public BleuScore {
        counts = List.copyOf(counts);
        totals = List.copyOf(totals);
        precisions = List.copyOf(precisions);
    }

    /** Hypothesis length over reference length, 0 when the references are empty (as sacreBLEU prints it). */
    public double ratio() {
        return refLen == 0 ? 0.0 : (double) sysLen / refLen;
    }
}
