package dev.finetune.dataset.domain;

import dev.finetune.contracts.events.TaskType;
import java.util.ArrayList;
import java.util.List;

/**
 * Which field (JSONL) or column (CSV) of an uploaded record holds the text and which the label, so users can
 * keep their own column names; problems name the mapped field.
 */
public record FieldMapping(String textField, String labelField) {

    public static final String DEFAULT_TEXT_FIELD = "text";
    public static final String DEFAULT_LABEL_FIELD = "label";
    public static final FieldMapping DEFAULT = new FieldMapping(DEFAULT_TEXT_FIELD, DEFAULT_LABEL_FIELD);

    /** Every reason this mapping cannot be used for a task; empty when it can. */
    public List<String> problems(TaskType task) {
        List<String> problems = new ArrayList<>();
        if (textField == null || textField.isBlank()) {
            problems.add("textField: must not be empty");
        }
        if (labelField == null || labelField.isBlank()) {
            problems.add("labelField: must not be empty");
        }
        if (problems.isEmpty() && task == TaskType.CLASSIFICATION && textField.equals(labelField)) {
            problems.add("textField and labelField: must name different fields but both are '" + textField + "'");
        }
        return problems;
    }
}
