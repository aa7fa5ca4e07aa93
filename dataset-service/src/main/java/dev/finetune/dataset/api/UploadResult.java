package dev.finetune.dataset.api;

import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.TaskType;
import dev.finetune.dataset.domain.CleaningReport;
import dev.finetune.dataset.domain.TokenStats;
import dev.finetune.dataset.ingest.DatasetVersions;
import java.util.List;
import java.util.Map;

/**
 * What an upload produced; {@code created} is false when the same content was already stored.
 *
 * @param rejectedRecords invalid records skipped under {@code onInvalid=skip}
 * @param problems        why they were skipped: the first 100 problems, then a line counting the rest
 * @param cleaning        what validation and cleaning did to this upload
 * @param added           examples not in the parent version
 * @param removed         examples of the parent version not in this one
 */
public record UploadResult(DatasetRef dataset, String parentVersion, TaskType task, List<String> labels,
                           Map<String, Integer> counts, String contentSha256, boolean created,
                           int rejectedRecords, List<String> problems, CleaningReport cleaning, int added,
                           int removed, Map<String, TokenStats> tokens) {

    static UploadResult of(DatasetVersions.Stored stored) {
        DatasetVersionCreated v = stored.version();
        return new UploadResult(v.dataset(), v.parentVersion(), v.task(), v.labels(),
                Map.of("train", v.train().examples(), "validation", v.validation().examples(),
                        "test", v.test().examples()),
                v.contentSha256(), stored.created(), stored.cleaning().rejected(), stored.problems(),
                stored.cleaning(), stored.stats().added(), stored.stats().removed(), stored.stats().tokens());
    }
}
