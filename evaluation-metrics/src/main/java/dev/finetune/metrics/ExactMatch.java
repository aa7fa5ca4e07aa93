package dev.finetune.metrics;

import java.util.List;
import java.util.Objects;

/** The fraction of hypotheses equal to their reference once leading and trailing whitespace is stripped. */
public final class ExactMatch {

    private ExactMatch() {
    }

    /**
     * Scores hypotheses against one reference each.
     *
     * @throws IllegalArgumentException when the lists differ in length or are empty
     */
    public static double score(List<String> hypotheses, List<String> references) {
        return scoreMulti(hypotheses, List.of(references));
    }

    /**
     * Scores hypotheses against several reference sets, each parallel to the hypotheses; a hypothesis
     * matches when it equals any of its references.
     */
    public static double scoreMulti(List<String> hypotheses, List<List<String>> referenceSets) {
        Objects.requireNonNull(hypotheses, "hypotheses");
        if (hypotheses.isEmpty()) {
            throw new IllegalArgumentException("exact match needs at least one hypothesis");
        }
        if (referenceSets.isEmpty()) {
            throw new IllegalArgumentException("exact match needs at least one reference set");
        }
        for (int r = 0; r < referenceSets.size(); r++) {
            if (referenceSets.get(r).size() != hypotheses.size()) {
                throw new IllegalArgumentException("reference set " + r + " has " + referenceSets.get(r).size()
                        + " entries but there are " + hypotheses.size() + " hypotheses");
            }
        }
        int matches = 0;
        for (int i = 0; i < hypotheses.size(); i++) {
            String hypothesis = hypotheses.get(i).strip();
            for (List<String> set : referenceSets) {
                if (hypothesis.equals(set.get(i).strip())) {
                    matches++;
                    break;
                }
            }
        }
        return (double) matches / hypotheses.size();
    }
}
