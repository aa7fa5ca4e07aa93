package dev.finetune.trainer.domain;

import dev.finetune.contracts.events.TaskType;
import dev.finetune.lm.text.Examples;
import dev.finetune.lm.text.TrainingExample;
import java.util.List;
import java.util.Map;

/** Turns stored dataset rows into the text a causal language model trains on. */
final class DatasetExamples {

    private DatasetExamples() {
    }

    static List<TrainingExample> of(List<Map<String, Object>> rows, TaskType task) {
        return rows.stream()
                .map(row -> task == TaskType.CLASSIFICATION
                        ? Examples.classification(String.valueOf(row.get("text")), String.valueOf(row.get("label")))
                        : Examples.plainText(String.valueOf(row.get("text"))))
                .toList();
    }
}
