package dev.finetune.dataset.domain;

import java.util.Map;

/**
 * What a version holds, stored as {@code stats.json} next to its manifest and summed up in its card.
 *
 * @param parentVersion the version that was HEAD when this one was made; null for the first
 * @param examples      examples per split
 * @param labels        examples per split and label (classification only; empty otherwise)
 * @param tokens        token lengths per split
 * @param tokenizer     what the lengths are counted in
 * @param added         examples not in the parent version
 * @param removed       examples of the parent version not in this one
 * @param settings      the settings the version was made with
 * @param cleaning      what validation and cleaning did to the input
 * @param source        how the version came to be: {@code upload}, {@code append} or {@code labeled-examples}
 * @param createdBy     who: the uploader's token name, or {@code dataset-service} for streamed examples
 */
public record VersionStats(String parentVersion, Map<String, Integer> examples,
                           Map<String, Map<String, Integer>> labels, Map<String, TokenStats> tokens, String tokenizer,
                           int added, int removed, DatasetSettings settings, CleaningReport cleaning, String source,
                           String createdBy) {

    public int total() {
        return examples.values().stream().mapToInt(Integer::intValue).sum();
    }
}
