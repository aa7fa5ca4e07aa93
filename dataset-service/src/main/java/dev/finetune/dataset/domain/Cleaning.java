package dev.finetune.dataset.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The cleaning rules applied to valid examples before they are split, in this order:
 * <ol>
 *   <li>conflicting labels: a text that appears with more than one label is dropped entirely (every copy),
 *       since no copy can be trusted; texts that differ only in case, punctuation or spacing count as one text;</li>
 *   <li>duplicates: of identical examples (same normalised text and label) the first is kept;</li>
 *   <li>near-duplicates: of examples whose texts differ only in case, punctuation or spacing (the same
 *       {@link #matchKey}) and share a label, the first is kept, so that no two of them land in different
 *       splits.</li>
 * </ol>
 * Each dropped example is counted under exactly one rule, so kept + duplicates + nearDuplicates +
 * conflictingLabels equals the number of examples cleaned.
 */
public final class Cleaning {

    private static final Pattern NOT_WORD = Pattern.compile("[\\p{P}\\p{S}\\s]+");

    private Cleaning() {
    }

    /** The examples that survived, in upload order, and how many each rule dropped. */
    public record Cleaned(List<Example> examples, int duplicates, int nearDuplicates, int conflictingLabels) {
    }

    /**
     * The text as near-duplicate detection sees it: case-folded, with every run of punctuation, symbols and
     * whitespace made one space, trimmed ("The pizza was GREAT!" and "the pizza was great" match).
     */
    public static String matchKey(String normalisedText) {
        return NOT_WORD.matcher(normalisedText.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
    }

    public static Cleaned clean(List<Example> examples) {
        Map<String, Set<String>> labelsByKey = new HashMap<>();
        for (Example e : examples) {
            labelsByKey.computeIfAbsent(matchKey(e.text()), k -> new LinkedHashSet<>())
                    .add(Objects.toString(e.label(), ""));
        }
        List<Example> kept = new ArrayList<>();
        Map<String, String> firstTextByKey = new HashMap<>();
        int duplicates = 0;
        int nearDuplicates = 0;
        int conflicting = 0;
        for (Example e : examples) {
            String key = matchKey(e.text());
            String first = firstTextByKey.putIfAbsent(key, e.text());
            if (labelsByKey.get(key).size() > 1) {
                conflicting++;
            } else if (first == null) {
                kept.add(e);
            } else if (first.equals(e.text())) {
                duplicates++;
            } else {
                nearDuplicates++;
            }
        }
        return new Cleaned(List.copyOf(kept), duplicates, nearDuplicates, conflicting);
    }
}
