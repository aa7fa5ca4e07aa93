package dev.finetune.lm.training;

import dev.finetune.lm.model.LoraConfig;
import dev.finetune.lm.text.TrainingExample;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one fine-tune needs.
 *
 * @param baseModel      name of the model to start from, e.g. {@code tiny-random}
 * @param train          training examples, at least one
 * @param validation     held-out examples for validation loss, may be empty
 * @param config         hyper-parameters
 * @param outputDir      where the model is saved; must not exist or be empty
 * @param manifestExtras provenance the caller knows and this library does not (dataset version and hash, job id,
 *                       git sha), copied into manifest.json
 * @param lora           LoRA adapters to train with the base frozen, or null to train every weight (FULL)
 * @param checkpoints    where resumable training states go every {@code config.checkpointEverySteps()} steps, and
 *                       where a restarted run looks for the latest one
 */
public record FineTuneJob(
        String baseModel,
        List<TrainingExample> train,
        List<TrainingExample> validation,
        TrainConfig config,
        Path outputDir,
        Map<String, String> manifestExtras,
        LoraConfig lora,
        CheckpointStore checkpoints) {

    /** A FULL fine-tune: every weight trained. */
    public FineTuneJob(String baseModel, List<TrainingExample> train, List<TrainingExample> validation,
            TrainConfig config, Path outputDir, Map<String, String> manifestExtras) {
        this(baseModel, train, validation, config, outputDir, manifestExtras, null, CheckpointStore.none());
    }

    public FineTuneJob {
        Objects.requireNonNull(baseModel, "baseModel");
        train = List.copyOf(Objects.requireNonNull(train, "train"));
        validation = validation == null ? List.of() : List.copyOf(validation);
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(outputDir, "outputDir");
        manifestExtras = manifestExtras == null ? Map.of() : Map.copyOf(manifestExtras);
        checkpoints = checkpoints == null ? CheckpointStore.none() : checkpoints;
        if (train.isEmpty()) {
            throw new IllegalArgumentException("a fine-tune needs at least one training example");
        }
    }
}
