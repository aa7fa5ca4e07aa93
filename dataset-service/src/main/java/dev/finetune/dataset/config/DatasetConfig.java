package dev.finetune.dataset.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of dataset-service, under {@code finetune.dataset}. */
@ConfigMapping(prefix = "finetune.dataset")
public interface DatasetConfig {

    /** Share of examples held out for validation. */
    @WithDefault("0.1")
    double validationRatio();

    /** Share of examples held out for the final test. */
    @WithDefault("0.1")
    double testRatio();

    /** Longest accepted text, in characters, after normalisation. */
    @WithDefault("20000")
    int maxTextChars();

    /** Longest JSONL line read, in characters: a longer line is skipped without being held, and rejected. */
    @WithDefault("1000000")
    int maxLineChars();
}
