package dev.finetune.dataset.domain;

import dev.finetune.contracts.events.TaskType;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One validated, normalised example in its stored shape: {@code row} holds the task's fields under their role
 * names (for {@link TaskType#CHAT}, {@code messages} is a list of {@code role}/{@code content} maps), plus
 * {@code group} when the dataset has a group field.
 */
public record Example(TaskType task, Map<String, Object> row) {

    public Example {
        row = Map.copyOf(row);
    }

    /** A classification example, or a language-modelling one when {@code label} is null. */
    public static Example of(String text, String label) {
        return label == null
                ? new Example(TaskType.LANGUAGE_MODELING, Map.of("text", text))
                : new Example(TaskType.CLASSIFICATION, Map.of("text", text, "label", label));
    }

    public String label() {
        return (String) row.get("label");
    }

    public String group() {
        return (String) row.get("group");
    }

    /**
     * What the model is given (the text, the instruction and input, every message but the last answer): examples
     * with the same prompt up to case, punctuation and spacing share a split, so none is tested on what it learned.
     */
    public String promptText() {
        return switch (task) {
            case CLASSIFICATION, LANGUAGE_MODELING -> (String) row.get("text");
            case INSTRUCTION -> row.get("instruction") + "\n" + row.getOrDefault("input", "");
            case GENERATION -> (String) row.get("input");
            case CHAT -> messages().subList(0, messages().size() - 1).stream()
                    .map(m -> m.get("role") + ": " + m.get("content")).collect(Collectors.joining("\n"));
        };
    }

    /** Everything but the label: two examples with equal content up to case and punctuation are near-duplicates. */
    public String contentText() {
        return switch (task) {
            case CLASSIFICATION, LANGUAGE_MODELING -> promptText();
            case INSTRUCTION, GENERATION -> promptText() + "\n" + row.get("output");
            case CHAT -> messages().stream().map(m -> m.get("role") + ": " + m.get("content"))
                    .collect(Collectors.joining("\n"));
        };
    }

    /** The key that decides the split: the group when there is one, else the prompt as near-duplicates see it. */
    public String splitKey() {
        String group = group();
        return group != null ? "group:" + group : Cleaning.matchKey(promptText());
    }

    /** A 64-bit hash of everything the example holds: equal examples, equal identities. */
    public long identity() {
        return StableHash.of(contentText() + '\u0000' + (label() == null ? "" : label()) + '\u0000'
                + (group() == null ? "" : group()));
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, String>> messages() {
        return (List<Map<String, String>>) row.get("messages");
    }
}
