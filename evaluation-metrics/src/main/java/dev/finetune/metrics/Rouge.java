package dev.finetune.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * ROUGE-1, ROUGE-2 and ROUGE-L as Google's rouge-score package computes them (its {@code score},
 * {@code score_multi} and default tokenizer), with a corpus score that is the mean of the per-pair
 * scores.
 *
 * <p>ROUGE is not symmetric: precision divides by the prediction's n-grams, recall by the
 * reference's. Our methods take the prediction first, like {@link Bleu}; rouge-score's
 * {@code score(target, prediction)} takes the reference first.
 */
public final class Rouge {

    private final PorterStemmer stemmer;

    private Rouge(PorterStemmer stemmer) {
        this.stemmer = stemmer;
    }

    /** rouge-score's {@code RougeScorer(types)}: no stemming. */
    public static Rouge withoutStemming() {
        return new Rouge(null);
    }

    /** rouge-score's {@code RougeScorer(types, use_stemmer=True)}: NLTK's default Porter mode. */
    public static Rouge withStemming() {
        return withStemmer(PorterStemmer.Mode.NLTK_EXTENSIONS);
    }

    /** Stemming with a chosen Porter variant, e.g. the 1980 algorithm as published. */
    public static Rouge withStemmer(PorterStemmer.Mode mode) {
        return new Rouge(new PorterStemmer(mode));
    }

    /** Scores one prediction against one reference. */
    public RougeScores score(String prediction, String reference) {
        List<String> predicted = RougeTokenizer.tokenize(Objects.requireNonNull(prediction, "prediction"), stemmer);
        List<String> target = RougeTokenizer.tokenize(Objects.requireNonNull(reference, "reference"), stemmer);
        return new RougeScores(ngramScore(target, predicted, 1), ngramScore(target, predicted, 2),
                lcsScore(target, predicted));
    }

    /**
     * Scores one prediction against several references: for each ROUGE variant separately, the score
     * against the reference with the highest F-measure (the first one on a tie), as {@code score_multi}.
     */
    public RougeScores scoreMulti(String prediction, List<String> references) {
        if (references.isEmpty()) {
            throw new IllegalArgumentException("scoreMulti needs at least one reference");
        }
        List<RougeScores> all = new ArrayList<>(references.size());
        for (String reference : references) {
            all.add(score(prediction, reference));
        }
        return new RougeScores(best(all, RougeScores::rouge1), best(all, RougeScores::rouge2),
                best(all, RougeScores::rougeL));
    }

    /**
     * Mean of the per-pair scores over a corpus, precision, recall and F each averaged on its own.
     *
     * @param predictions   one prediction per pair
     * @param referenceSets one or more reference sets, each parallel to the predictions (sacreBLEU's
     *                      layout); with several sets each pair is scored by {@link #scoreMulti}
     */
    public RougeScores corpus(List<String> predictions, List<List<String>> referenceSets) {
        if (predictions.isEmpty()) {
            throw new IllegalArgumentException("ROUGE needs at least one prediction");
        }
        if (referenceSets.isEmpty()) {
            throw new IllegalArgumentException("ROUGE needs at least one reference set");
        }
        for (int r = 0; r < referenceSets.size(); r++) {
            if (referenceSets.get(r).size() != predictions.size()) {
                throw new IllegalArgumentException("reference set " + r + " has " + referenceSets.get(r).size()
                        + " segments but there are " + predictions.size() + " predictions");
            }
        }
        List<RougeScores> perPair = new ArrayList<>(predictions.size());
        for (int i = 0; i < predictions.size(); i++) {
            List<String> references = new ArrayList<>(referenceSets.size());
            for (List<String> set : referenceSets) {
                references.add(set.get(i));
            }
            perPair.add(references.size() == 1 ? score(predictions.get(i), references.get(0))
                    : scoreMulti(predictions.get(i), references));
        }
        return new RougeScores(mean(perPair, RougeScores::rouge1), mean(perPair, RougeScores::rouge2),
                mean(perPair, RougeScores::rougeL));
    }

    static RougeScore ngramScore(List<String> target, List<String> prediction, int n) {
        Map<List<String>, Integer> targetNgrams = ngrams(target, n);
        Map<List<String>, Integer> predictionNgrams = ngrams(prediction, n);
        int overlap = 0;
        for (Map.Entry<List<String>, Integer> e : targetNgrams.entrySet()) {
            overlap += Math.min(e.getValue(), predictionNgrams.getOrDefault(e.getKey(), 0));
        }
        int targetCount = Math.max(0, target.size() - n + 1);
        int predictionCount = Math.max(0, prediction.size() - n + 1);
        return RougeScore.of((double) overlap / Math.max(predictionCount, 1),
                (double) overlap / Math.max(targetCount, 1));
    }

    static RougeScore lcsScore(List<String> target, List<String> prediction) {
        if (target.isEmpty() || prediction.isEmpty()) {
            return RougeScore.ZERO;
        }
        int lcs = lcsLength(target, prediction);
        return RougeScore.of((double) lcs / prediction.size(), (double) lcs / target.size());
    }

    /** Length of the longest common subsequence, by dynamic programming over two rows. */
    static int lcsLength(List<String> a, List<String> b) {
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (int i = 1; i <= a.size(); i++) {
            for (int j = 1; j <= b.size(); j++) {
                current[j] = a.get(i - 1).equals(b.get(j - 1)) ? previous[j - 1] + 1
                        : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.size()];
    }

    private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(List.copyOf(tokens.subList(i, i + n)), 1, Integer::sum);
        }
        return counts;
    }

    private static RougeScore best(List<RougeScores> scores, Function<RougeScores, RougeScore> variant) {
        RougeScore best = variant.apply(scores.get(0));
        for (RougeScores s : scores) {
            if (variant.apply(s).fmeasure() > best.fmeasure()) {
                best = variant.apply(s);
            }
        }
        return best;
    }

    private static RougeScore mean(List<RougeScores> scores, Function<RougeScores, RougeScore> variant) {
        double p = 0;
        double r = 0;
        double f = 0;
        for (RougeScores s : scores) {
            p += variant.apply(s).precision();
            r += variant.apply(s).recall();
            f += variant.apply(s).fmeasure();
        }
        int n = scores.size();
        return new RougeScore(p / n, r / n, f / n);
    }
}
