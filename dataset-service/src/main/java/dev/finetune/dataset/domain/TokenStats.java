package dev.finetune.dataset.domain;

import java.util.Map;
import java.util.TreeMap;

/**
 * Lengths in tokens of one split's examples, as the trainer renders and tokenizes them.
 *
 * @param examples how many examples
 * @param total    tokens over all of them
 */
public record TokenStats(int examples, long total, int min, double mean, int p50, int p90, int p99, int max) {

    /** Counts lengths as they come; memory grows with the number of distinct lengths, not of examples. */
    public static final class Histogram {
        private final TreeMap<Integer, Integer> countByLength = new TreeMap<>();
        private int examples;
        private long total;

        public void add(int tokens) {
            countByLength.merge(tokens, 1, Integer::sum);
            examples++;
            total += tokens;
        }

        public TokenStats stats() {
            if (examples == 0) {
                return new TokenStats(0, 0, 0, 0, 0, 0, 0, 0);
            }
            return new TokenStats(examples, total, countByLength.firstKey(), (double) total / examples,
                    percentile(0.5), percentile(0.9), percentile(0.99), countByLength.lastKey());
        }

        /** The smallest length with at least {@code q} of the examples at or below it. */
        private int percentile(double q) {
            long needed = (long) Math.ceil(q * examples);
            long seen = 0;
            for (Map.Entry<Integer, Integer> e : countByLength.entrySet()) {
                seen += e.getValue();
                if (seen >= needed) {
                    return e.getKey();
                }
            }
            return countByLength.lastKey();
        }
    }
}
