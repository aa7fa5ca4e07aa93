package dev.finetune.metrics;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * How much a generated answer repeats itself: the share of its word 3-grams that already occurred earlier in it
 * (0 for an answer that never repeats a phrase, towards 1 for one stuck in a loop). Words are lower-cased runs of
 * letters and digits; an answer of fewer than three words has no 3-grams and rate 0.
 */
public final class Repetition {

    private static final int N = 3;

    private Repetition() {
    }

    public static double rate(String text) {
        String[] words = Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> !w.isEmpty()).toArray(String[]::new);
        int grams = words.length - N + 1;
        if (grams <= 0) {
            return 0;
        }
        Set<String> seen = new HashSet<>();
        int repeated = 0;
        for (int i = 0; i < grams; i++) {
            if (!seen.add(String.join(" ", Arrays.copyOfRange(words, i, i + N)))) {
                repeated++;
            }
        }
        return (double) repeated / grams;
    }
}
