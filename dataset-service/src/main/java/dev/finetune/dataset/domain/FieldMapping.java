package dev.finetune.dataset.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.finetune.contracts.events.TaskType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which field (JSONL) or column (CSV) of an uploaded record holds each part of an example, so users keep their own
 * names; problems name the mapped field. Stored rows always use the role names ({@code text}, {@code label},
 * {@code instruction}, {@code input}, {@code output}, {@code messages}). A null field means the role's own name.
 *
 * @param group the field holding a group key (a conversation or document id): a group's examples always share a
 *              split. Null: no groups, each example is split by its own text.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldMapping(String text, String label, String instruction, String input, String output,
                           String messages, String group) {

    public static final FieldMapping DEFAULT = new FieldMapping(null, null, null, null, null, null, null);

    /** The source field of every role this task reads, required or optional, role name to field name. */
    public Map<String, String> fieldsOf(TaskType task) {
        Map<String, String> fields = new LinkedHashMap<>();
        switch (task) {
            case CLASSIFICATION -> {
                fields.put("text", or(text, "text"));
                fields.put("label", or(label, "label"));
            }
            case LANGUAGE_MODELING -> fields.put("text", or(text, "text"));
            case INSTRUCTION -> {
                fields.put("instruction", or(instruction, "instruction"));
                fields.put("input", or(input, "input"));
                fields.put("output", or(output, "output"));
            }
            case CHAT -> fields.put("messages", or(messages, "messages"));
            case GENERATION -> {
                fields.put("input", or(input, "input"));
                fields.put("output", or(output, "output"));
            }
        }
        if (group != null) {
            fields.put("group", group);
        }
        return fields;
    }

    /** The source field of a role. */
    public String field(TaskType task, String role) {
        return fieldsOf(task).getOrDefault(role, role);
    }

    /** This mapping with the non-null fields of {@code other} taking precedence. */
    public FieldMapping overriddenBy(FieldMapping other) {
        return new FieldMapping(or(other.text, text), or(other.label, label), or(other.instruction, instruction),
                or(other.input, input), or(other.output, output), or(other.messages, messages),
                or(other.group, group));
    }

    /** Every reason this mapping cannot be used for a task; empty when it can. */
    public List<String> problems(TaskType task) {
        List<String> problems = new ArrayList<>();
        Map<String, String> used = fieldsOf(task);
        Map<String, String> roleByField = new LinkedHashMap<>();
        used.forEach((role, field) -> {
            if (field.isBlank()) {
                problems.add("fields." + role + ": must not be empty");
            } else {
                String other = roleByField.putIfAbsent(field, role);
                if (other != null) {
                    problems.add("fields." + other + " and fields." + role
                            + ": must name different fields but both are '"
                            + field + "'");
                }
            }
        });
        return problems;
    }

    private static String or(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
