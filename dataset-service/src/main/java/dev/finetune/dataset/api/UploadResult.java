package dev.finetune.dataset.api;

import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.TaskType;
import java.util.List;
import java.util.Map;

/** What an upload produced; {@code created} is false when the same content was already stored. */
public record UploadResult(DatasetRef dataset, String parentVersion, TaskType task, List<String> labels,
                           Map<String, Integer> counts, String contentSha256, boolean created) {

    static UploadResult of(DatasetVersionCreated v, boolean created) {
        return new UploadResult(v.dataset(), v.parentVersion(), v.task(), v.labels(),
                Map.of("train", v.train().examples(), "validation", v.validation().examples(),
                        "test", v.test().examples()),
                v.contentSha256(), created);
    }
}
