package dev.finetune.dataset.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The cleaning rules applied to valid examples before they are split, in this order:
 * <ol>
 *   <li>conflicting labels: a text that appears with more than one label is dropped entirely (every copy),
 *       since no copy can be trusted;</li>
 *   <li>duplicates: of identical examples (same normalised text and label) the first is kept.</li>
 * </ol>
 * Each dropped example is counted under exactly one rule, so kept + duplicates + conflictingLabels equals
 * the number of examples cleaned.
 */
public final class Cleaning {

    private Cleaning() {
    }

    /** The examples that survived, in upload order, and how many each rule dropped. */
    public record Cleaned(List<Example> examples, int duplicates, int conflictingLabels) {
    }

    public static Cleaned clean(List<Example> examples) {
        Map<String, Set<String>> labelsByText = new HashMap<>();
        for (Example e : examples) {
            labelsByText.computeIfAbsent(e.text(), t -> new LinkedHashSet<>()).add(Objects.toString(e.label(), ""));
        }
        List<Example> kept = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int duplicates = 0;
        int conflicting = 0;
        for (Example e : examples) {
            if (labelsByText.get(e.text()).size() > 1) {
                conflicting++;
            } else if (!seen.add(e.text())) {
                duplicates++;
            } else {
                kept.add(e);
            }
        }
        return new Cleaned(List.copyOf(kept), duplicates, conflicting);
    }
}
