package dev.finetune.dataset.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The cleaning rules applied to valid examples before they are split, in two passes over the same examples in the
 * same order: {@link #observe} sees them all, then {@link #decide} keeps or drops each one.
 * <ol>
 *   <li>conflicting labels: a text that appears with more than one label is dropped entirely (every copy),
 *       since no copy can be trusted; texts that differ only in case, punctuation or spacing count as one text;</li>
 *   <li>duplicates: of identical examples (same normalised content and label) the first is kept;</li>
 *   <li>near-duplicates: of examples whose content differs only in case, punctuation or spacing (the same
 *       {@link #matchKey}) and that share a label, the first is kept, so that no two of them land in different
 *       splits.</li>
 * </ol>
 * Each dropped example is counted under exactly one rule. Examples are remembered by 64-bit hashes, about 40 bytes
 * each, so memory grows with the number of distinct examples and not with their size.
 */
public final class Cleaning {

    private static final Pattern NOT_WORD = Pattern.compile("[\\p{P}\\p{S}\\s]+");
    private static final int CONFLICT = 1;
    private static final int SEEN = 2;

    /** What happens to one example. */
    public enum Verdict { KEEP, DUPLICATE, NEAR_DUPLICATE, CONFLICTING_LABEL }

    private final LongIntMap indexByKey = new LongIntMap();
    private final Map<String, Integer> labelIds = new HashMap<>();
    private long[] firstExact = new long[1024];
    private int[] labels = new int[1024];
    private byte[] flags = new byte[1024];
    private int count;

    /**
     * The text as near-duplicate detection sees it: case-folded, with every run of punctuation, symbols and
     * whitespace made one space, trimmed ("The pizza was GREAT!" and "the pizza was great" match).
     */
    public static String matchKey(String normalisedText) {
        return NOT_WORD.matcher(normalisedText.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
    }

    /** First pass: notes the example's content and label. */
    public void observe(Example e) {
        long key = StableHash.of(matchKey(e.contentText()));
        int label = labelIds.computeIfAbsent(Objects.toString(e.label(), ""), l -> labelIds.size());
        int index = indexByKey.get(key, -1);
        if (index < 0) {
            if (count == labels.length) {
                firstExact = Arrays.copyOf(firstExact, count * 2);
                labels = Arrays.copyOf(labels, count * 2);
                flags = Arrays.copyOf(flags, count * 2);
            }
            indexByKey.put(key, count);
            firstExact[count] = e.identity();
            labels[count] = label;
            count++;
        } else if (labels[index] != label) {
            flags[index] |= CONFLICT;
        }
    }

    /** Second pass, in the order of the first: whether the example is kept, and if not, which rule dropped it. */
    public Verdict decide(Example e) {
        int index = indexByKey.get(StableHash.of(matchKey(e.contentText())), -1);
        if (index < 0) {
            throw new IllegalStateException("decide() on an example observe() never saw");
        }
        if ((flags[index] & CONFLICT) != 0) {
            return Verdict.CONFLICTING_LABEL;
        }
        if ((flags[index] & SEEN) == 0) {
            flags[index] |= SEEN;
            return Verdict.KEEP;
        }
        return firstExact[index] == e.identity() ? Verdict.DUPLICATE : Verdict.NEAR_DUPLICATE;
    }

    /** The examples that survived, in order, and how many each rule dropped. */
    public record Cleaned(List<Example> examples, int duplicates, int nearDuplicates, int conflictingLabels) {
    }

    /** Both passes over examples held in memory. */
    public static Cleaned clean(List<Example> examples) {
        Cleaning cleaning = new Cleaning();
        examples.forEach(cleaning::observe);
        List<Example> kept = new ArrayList<>();
        int[] dropped = new int[Verdict.values().length];
        for (Example e : examples) {
            Verdict verdict = cleaning.decide(e);
            dropped[verdict.ordinal()]++;
            if (verdict == Verdict.KEEP) {
                kept.add(e);
            }
        }
        return new Cleaned(List.copyOf(kept), dropped[Verdict.DUPLICATE.ordinal()],
                dropped[Verdict.NEAR_DUPLICATE.ordinal()], dropped[Verdict.CONFLICTING_LABEL.ordinal()]);
    }
}
