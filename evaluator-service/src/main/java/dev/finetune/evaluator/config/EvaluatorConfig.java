package dev.finetune.evaluator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** Settings of evaluator-service, under {@code finetune.evaluator}. */
@ConfigMapping(prefix = "finetune.evaluator")
public interface EvaluatorConfig {

    /** Scratch space for downloaded models; each evaluation gets a sub-folder, removed afterwards. */
    @WithDefault("${java.io.tmpdir}/finetune-evaluator")
    Path workDir();

    /** Sequences per forward pass when computing the test loss. */
    @WithDefault("16")
    int batchSize();

    /** How many predictions next to their references the report shows. */
    @WithDefault("20")
    int samplePredictions();

    /** How many test examples are answered by generation (BLEU, ROUGE, hallucination signals): the slow part. */
    @WithDefault("64")
    int generationExamples();

    /** The longest generated answer, in tokens. */
    @WithDefault("48")
    int maxNewTokens();
}
