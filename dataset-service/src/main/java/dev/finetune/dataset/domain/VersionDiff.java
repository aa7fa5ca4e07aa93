package dev.finetune.dataset.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What changed between two versions of a dataset, example by example: fed the {@code from} version, then the
 * {@code to} version, then the {@code from} version again (to name what was removed). An example is the same in
 * both when its content, label and group are; {@code moved} counts examples whose split changed, which splitting
 * by stable keys keeps at zero.
 */
public final class VersionDiff {

    /** How many examples are listed as samples of what was added and removed. */
    static final int SAMPLES = 5;
    private static final int SEEN = 8;

    private final LongIntMap from = new LongIntMap();
    private final Map<String, Integer> added = new TreeMap<>();
    private final Map<String, Integer> removed = new TreeMap<>();
    private final Map<String, Integer> addedLabels = new TreeMap<>();
    private final Map<String, Integer> removedLabels = new TreeMap<>();
    private final List<Map<String, Object>> addedSamples = new ArrayList<>();
    private final List<Map<String, Object>> removedSamples = new ArrayList<>();
    private int unchanged;
    private int moved;

    /**
     * The difference.
     *
     * @param added    examples in {@code to} only, per split
     * @param removed  examples in {@code from} only, per split
     * @param moved    examples in both whose split differs
     * @param labels   per label, examples added and removed (classification only)
     */
    public record Result(String from, String to, Map<String, Integer> added, Map<String, Integer> removed,
                         int unchanged, int moved, Map<String, Map<String, Integer>> labels,
                         List<Map<String, Object>> addedSamples, List<Map<String, Object>> removedSamples) {
    }

    public void from(Example e, Split split) {
        from.put(e.identity(), split.ordinal());
    }

    public void to(Example e, Split split) {
        long key = e.identity();
        int known = from.get(key, -1);
        if (known < 0) {
            count(added, addedLabels, addedSamples, e, split);
            return;
        }
        if ((known & ~SEEN) == split.ordinal()) {
            unchanged++;
        } else {
            moved++;
        }
        from.put(key, known | SEEN);
    }

    /** Second pass over {@code from}: what {@code to} did not hold. */
    public void fromAgain(Example e, Split split) {
        if ((from.get(e.identity(), 0) & SEEN) == 0) {
            count(removed, removedLabels, removedSamples, e, split);
        }
    }

    public Result result(String fromVersion, String toVersion) {
        Map<String, Map<String, Integer>> labels = new LinkedHashMap<>();
        if (!addedLabels.isEmpty() || !removedLabels.isEmpty()) {
            labels.put("added", addedLabels);
            labels.put("removed", removedLabels);
        }
        return new Result(fromVersion, toVersion, perSplit(added), perSplit(removed), unchanged, moved, labels,
                addedSamples, removedSamples);
    }

    private static Map<String, Integer> perSplit(Map<String, Integer> counts) {
        Map<String, Integer> all = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            all.put(s.label(), counts.getOrDefault(s.label(), 0));
        }
        return all;
    }

    private static void count(Map<String, Integer> bySplit, Map<String, Integer> byLabel,
                              List<Map<String, Object>> samples, Example e, Split split) {
        bySplit.merge(split.label(), 1, Integer::sum);
        if (e.label() != null) {
            byLabel.merge(e.label(), 1, Integer::sum);
        }
        if (samples.size() < SAMPLES) {
            samples.add(e.row());
        }
    }
}
