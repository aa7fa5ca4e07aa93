package dev.finetune.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Corpus BLEU exactly as sacreBLEU computes it with its defaults: 13a tokenization, case-sensitive,
 * n-grams of order 1 to 4, counts clipped by the maximum count over the references, the closest
 * reference length (ties to the shorter) for the brevity penalty, and the {@code exp} smoothing of
 * mteval-v13a for orders with no match.
 *
 * <p>References come in sacreBLEU's layout: a list of reference sets, each set parallel to the
 * hypotheses. A reference that is {@code null} or empty is skipped for its segment, which is how
 * sacreBLEU allows a varying number of references per segment.
 */
public final class Bleu {

    /** Highest n-gram order, sacreBLEU's {@code MAX_NGRAM_ORDER}. */
    public static final int MAX_NGRAM_ORDER = 4;

    /** What sacreBLEU's {@code my_log} returns for log(0), so a zero precision drives BLEU to 0. */
    private static final double LOG_ZERO = -9999999999.0;

    private Bleu() {
    }

    /**
     * Scores a corpus.
     *
     * @param hypotheses    one system output per segment
     * @param referenceSets one or more reference sets, each with exactly one reference per segment
     * @throws IllegalArgumentException when there are no hypotheses or no reference sets, when a set's
     *                                  length differs from the hypotheses', or when a segment has no
     *                                  non-empty reference
     */
    public static BleuScore corpus(List<String> hypotheses, List<List<String>> referenceSets) {
        Objects.requireNonNull(hypotheses, "hypotheses");
        Objects.requireNonNull(referenceSets, "referenceSets");
        if (hypotheses.isEmpty()) {
            throw new IllegalArgumentException("BLEU needs at least one hypothesis");
        }
        if (referenceSets.isEmpty()) {
            throw new IllegalArgumentException("BLEU needs at least one reference set");
        }
        for (int r = 0; r < referenceSets.size(); r++) {
            List<String> set = referenceSets.get(r);
            if (set == null || set.size() != hypotheses.size()) {
                throw new IllegalArgumentException("reference set " + r + " has "
                        + (set == null ? "no list" : set.size() + " segments") + " but there are "
                        + hypotheses.size() + " hypotheses");
            }
        }

        int[] counts = new int[MAX_NGRAM_ORDER];
        int[] totals = new int[MAX_NGRAM_ORDER];
        int sysLen = 0;
        int refLen = 0;
        for (int i = 0; i < hypotheses.size(); i++) {
            String hypothesis = hypotheses.get(i);
            if (hypothesis == null) {
                throw new IllegalArgumentException("hypothesis " + i + " is null");
            }
            List<String> hypTokens = tokens(hypothesis);
            Map<List<String>, Integer> hypNgrams = ngrams(hypTokens);

            Map<List<String>, Integer> refNgrams = new HashMap<>();
            List<Integer> refLengths = new ArrayList<>();
            for (List<String> set : referenceSets) {
                String reference = set.get(i);
                if (reference == null || reference.isEmpty()) {
                    continue;
                }
                List<String> refTokens = tokens(reference);
                refLengths.add(refTokens.size());
                ngrams(refTokens).forEach((ngram, count) -> refNgrams.merge(ngram, count, Math::max));
            }
            if (refLengths.isEmpty()) {
                throw new IllegalArgumentException("segment " + i + " has no non-empty reference");
            }

            sysLen += hypTokens.size();
            refLen += closestReferenceLength(hypTokens.size(), refLengths);
            for (Map.Entry<List<String>, Integer> e : hypNgrams.entrySet()) {
                int n = e.getKey().size() - 1;
                totals[n] += e.getValue();
                counts[n] += Math.min(e.getValue(), refNgrams.getOrDefault(e.getKey(), 0));
            }
        }
        return fromStatistics(counts, totals, sysLen, refLen);
    }

    /**
     * Computes BLEU from sufficient statistics with {@code exp} smoothing (sacreBLEU's
     * {@code compute_bleu} with its corpus defaults).
     */
    public static BleuScore fromStatistics(int[] counts, int[] totals, int sysLen, int refLen) {
        if (counts.length != MAX_NGRAM_ORDER || totals.length != MAX_NGRAM_ORDER) {
            throw new IllegalArgumentException("counts and totals need " + MAX_NGRAM_ORDER + " entries each");
        }
        double bp;
        if (sysLen < refLen) {
            bp = sysLen > 0 ? Math.exp(1.0 - (double) refLen / sysLen) : 0.0;
        } else {
            bp = 1.0;
        }
        double[] precisions = new double[MAX_NGRAM_ORDER];
        boolean anyMatch = false;
        for (int c : counts) {
            anyMatch |= c != 0;
        }
        if (anyMatch) {
            double smoothMteval = 1.0;
            for (int n = 0; n < MAX_NGRAM_ORDER; n++) {
                if (totals[n] == 0) {
                    break;
                }
                if (counts[n] == 0) {
                    // exp smoothing: each order without a match halves the pseudo-count again.
                    smoothMteval *= 2;
                    precisions[n] = 100.0 / (smoothMteval * totals[n]);
                } else {
                    precisions[n] = 100.0 * counts[n] / totals[n];
                }
            }
        }
        double score = 0.0;
        if (anyMatch) {
            double logSum = 0.0;
            for (double p : precisions) {
                logSum += p == 0.0 ? LOG_ZERO : Math.log(p);
            }
            score = bp * Math.exp(logSum / MAX_NGRAM_ORDER);
        }
        return new BleuScore(score, boxed(counts), boxed(totals), boxedDoubles(precisions), bp, sysLen, refLen);
    }

    /** sacreBLEU's {@code _preprocess_segment}: right-strip, then 13a-tokenize. */
    private static List<String> tokens(String segment) {
        return PythonText.split(Tokenizer13a.tokenize(PythonText.rstrip(segment)));
    }

    /** The reference length closest to the hypothesis length; on a tie, the shorter one. */
    static int closestReferenceLength(int hypLen, List<Integer> refLengths) {
        int closestDiff = -1;
        int closestLen = -1;
        for (int refLen : refLengths) {
            int diff = Math.abs(hypLen - refLen);
            if (closestDiff == -1 || diff < closestDiff) {
                closestDiff = diff;
                closestLen = refLen;
            } else if (diff == closestDiff && refLen < closestLen) {
                closestLen = refLen;
            }
        }
        return closestLen;
    }

    private static Map<List<String>, Integer> ngrams(List<String> tokens) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int n = 1; n <= MAX_NGRAM_ORDER; n++) {
            for (int i = 0; i + n <= tokens.size(); i++) {
                counts.merge(List.copyOf(tokens.subList(i, i + n)), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static List<Integer> boxed(int[] values) {
        List<Integer> out = new ArrayList<>(values.length);
        for (int v : values) {
            out.add(v);
        }
        return out;
    }

    private static List<Double> boxedDoubles(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }
}
