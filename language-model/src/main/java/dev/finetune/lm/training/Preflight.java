package dev.finetune.lm.training;

import dev.finetune.lm.text.ExampleFormat;
import dev.finetune.lm.text.TokenizedExample;
import dev.finetune.lm.text.TrainingExample;
import dev.finetune.lm.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The check before any training time is spent: renders every example of every split as the trainer will and
 * reports, with each split's line numbers, what would make the run useless or misleading:
 * <ul>
 *   <li>examples longer than the model's context;</li>
 *   <li>examples whose response falls entirely outside the sequence length, so none of it is learned (a prompt
 *       too long for the sequence, or a template that puts everything in the prompt);</li>
 *   <li>examples cut before their end token, so the model never learns to stop on them;</li>
 *   <li>labels outside the dataset's label set;</li>
 *   <li>examples shared between splits (the same prompt in training and in validation or test).</li>
 * </ul>
 * Labels outside the set, shared examples and examples longer than the context fail the run; responses outside
 * the sequence fail it when more than {@value #MAX_UNLEARNED_SHARE} of the training examples lose theirs (a few
 * long outliers teach nothing but harm nothing); examples cut before their end token are a warning. Each kind
 * lists its first {@value #SHOWN} lines and counts the rest.
 */
public final class Preflight {

    static final int SHOWN = 10;
    /** The share of training examples whose response may fall outside the sequence before the run fails. */
    static final double MAX_UNLEARNED_SHARE = 0.05;

    /** What the check found: what fails the run, and what only deserves a look. */
    public record Report(List<String> failures, List<String> warnings) {

        public boolean passed() {
            return failures.isEmpty();
        }
    }

    private Preflight() {
    }

    /** The problems found, each kind with its count and first lines. */
    public static Report check(Map<String, List<Map<String, Object>>> splits, ExampleFormat format,
                                     Tokenizer tokenizer, int sequenceLength, int contextLength, Set<String> labels) {
        Map<String, List<String>> found = new LinkedHashMap<>();
        Map<String, List<String>> warnings = new LinkedHashMap<>();
        int trainUnlearned = 0;
        Map<String, String> firstSeen = new HashMap<>();
        for (Map.Entry<String, List<Map<String, Object>>> split : splits.entrySet()) {
            List<Map<String, Object>> rows = split.getValue();
            for (int i = 0; i < rows.size(); i++) {
                String line = split.getKey() + " line " + (i + 1);
                Map<String, Object> row = rows.get(i);
                if (format.classification() && !labels.isEmpty() && !labels.contains(String.valueOf(row.get("label")))) {
                    add(found, "labels outside the label set " + new TreeSet<>(labels), line + " ('" + row.get("label") + "')");
                }
                TrainingExample example = format.example(row);
                TokenizedExample tokens = tokenizer.tokenize(example);
                int length = tokens.tokens().length;
                if (length > contextLength) {
                    add(found, "longer than the model's context of " + contextLength + " tokens",
                            line + " (" + length + " tokens)");
                }
                // the trainer sees the first sequenceLength + 1 tokens: inputs [0, L), targets [1, L]
                int window = Math.min(length - 1, sequenceLength);
                if (tokens.targetStart() > window) {
                    trainUnlearned += split.getKey().equals("train") ? 1 : 0;
                    add(warnings, "responses entirely outside the sequence length of " + sequenceLength
                            + " tokens (nothing of them is learned)", line + " (prompt ends at token "
                            + tokens.targetStart() + ")");
                } else if (length - 1 > sequenceLength) {
                    add(warnings, "responses cut before their end token by the sequence length of " + sequenceLength
                            + " (the model does not learn to stop)", line + " (" + length + " tokens)");
                }
                String key = example.prompt().isEmpty() ? example.completion() : example.prompt();
                key = key.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
                String earlier = firstSeen.putIfAbsent(key, line);
                if (earlier != null && !earlier.startsWith(split.getKey() + " ")) {
                    add(found, "examples shared between splits", line + " is " + earlier);
                }
            }
        }
        int train = splits.getOrDefault("train", List.of()).size();
        List<String> failures = describe(found);
        List<String> notes = describe(warnings);
        if (train > 0 && trainUnlearned > MAX_UNLEARNED_SHARE * train) {
            failures.add(String.format(Locale.ROOT, "%d of %d training examples (%.0f%%) learn nothing of their response "
                    + "(more than %.0f%%): raise sequenceLength or shorten the prompts", trainUnlearned, train,
                    100.0 * trainUnlearned / train, 100 * MAX_UNLEARNED_SHARE));
        }
        return new Report(failures, notes);
    }

    private static List<String> describe(Map<String, List<String>> found) {
        List<String> report = new ArrayList<>();
        found.forEach((kind, lines) -> report.add(lines.size() + " " + kind + ": "
                + String.join(", ", lines.subList(0, Math.min(SHOWN, lines.size())))
                + (lines.size() > SHOWN ? ", and " + (lines.size() - SHOWN) + " more" : "")));
        return report;
    }

    private static void add(Map<String, List<String>> found, String kind, String line) {
        found.computeIfAbsent(kind, k -> new ArrayList<>()).add(line);
    }
}
