package dev.finetune.dataset.api;

import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.TaskType;
import dev.finetune.dataset.domain.CleaningReport;
import java.util.List;
import java.util.Map;

/**
 * What an upload produced; {@code created} is false when the same content was already stored.
 *
 * @param rejectedRecords invalid records skipped under {@code onInvalid=skip}
 * @param problems        why they were skipped: the first 100 problems, then a line counting the rest
 * @param cleaning        what cleaning removed from this upload
 */
public record UploadResult(DatasetRef dataset, String parentVersion, TaskType task, List<String> labels,
                           Map<String, Integer> counts, String contentSha256, boolean created,
                           int rejectedRecords, List<String> problems, CleaningReport cleaning) {

    static UploadResult of(DatasetVersionCreated v, boolean created, CleaningReport cleaning, List<String> problems) {
        return new UploadResult(v.dataset(), v.parentVersion(), v.task(), v.labels(),
                Map.of("train", v.train().examples(), "validation", v.validation().examples(),
                        "test", v.test().examples()),
                v.contentSha256(), created, cleaning.rejected(), problems, cleaning);
    }
}
