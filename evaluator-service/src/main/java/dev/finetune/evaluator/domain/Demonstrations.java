package dev.finetune.evaluator.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Chooses the solved examples of a few-shot baseline from a training split read in order: for classification the
 * labels take turns (in the dataset's label order), so no label is missing from or crowds the prompt; for other
 * tasks the first rows. Never from the test split, so no test example is shown its own answer.
 */
public final class Demonstrations implements Predicate<Map<String, Object>> {

    private final int wanted;
    private final List<String> labels;
    private final Map<String, List<Map<String, Object>>> byLabel = new LinkedHashMap<>();
    private final List<Map<String, Object>> inOrder = new ArrayList<>();

    /**
     * @param labels the classification labels, or empty for a task without labels
     */
    public Demonstrations(int wanted, List<String> labels) {
        if (wanted < 1) {
            throw new IllegalArgumentException("wanted: must be at least 1 but was " + wanted);
        }
        this.wanted = wanted;
        this.labels = List.copyOf(labels);
        this.labels.forEach(label -> byLabel.put(label, new ArrayList<>()));
    }

    /** Takes one training row; answers whether more rows are needed. */
    @Override
    public boolean test(Map<String, Object> row) {
        if (labels.isEmpty()) {
            inOrder.add(row);
            return inOrder.size() < wanted;
        }
        List<Map<String, Object>> bucket = byLabel.get(String.valueOf(row.get("label")));
        if (bucket != null && bucket.size() < perLabel()) {
            bucket.add(row);
        }
        return byLabel.values().stream().anyMatch(b -> b.size() < perLabel());
    }

    /** The chosen rows: labels in turn (first of each, then second of each, ...), at most {@code wanted}. */
    public List<Map<String, Object>> chosen() {
        if (labels.isEmpty()) {
            return List.copyOf(inOrder);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int round = 0; round < perLabel() && out.size() < wanted; round++) {
            for (List<Map<String, Object>> bucket : byLabel.values()) {
                if (round < bucket.size() && out.size() < wanted) {
                    out.add(bucket.get(round));
                }
            }
        }
        return out;
    }

    private int perLabel() {
        return (wanted + labels.size() - 1) / labels.size();
    }
}
