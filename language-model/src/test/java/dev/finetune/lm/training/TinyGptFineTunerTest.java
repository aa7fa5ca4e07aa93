package dev.finetune.lm.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import dev.finetune.lm.model.DjlRuntime;
import dev.finetune.lm.model.Gpt;
import dev.finetune.lm.model.ModelConfig;
import dev.finetune.lm.text.ByteTokenizer;
import dev.finetune.lm.text.Examples;
import dev.finetune.lm.text.SequenceBatch;
import dev.finetune.lm.text.TrainingExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop's contracts, on a model small enough that each run takes well under a second. */
class TinyGptFineTunerTest {

    private static final ModelConfig MINI = new ModelConfig(259, 32, 1, 16, 2, 0.0);

    @TempDir
    Path temp;

    private static List<TrainingExample> examples(int count) {
        List<TrainingExample> examples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            examples.add(i % 3 == 0
                    ? Examples.plainText("line " + i + " of some text")
                    : Examples.classification("item " + i, i % 2 == 0 ? "even" : "odd"));
        }
        return examples;
    }

    private FineTuneJob job(Path outputDir, int maxSteps, int progressEvery) {
        TrainConfig config = new TrainConfig(1, maxSteps, 4, 32, 1e-2, 2, 0.0, 7L, progressEvery);
        return new FineTuneJob("tiny-random", examples(12), examples(4), config, outputDir, Map.of());
    }

    @Test
    void progressComesEveryPeriodAndAtTheEnd() {
        List<ProgressUpdate> updates = new ArrayList<>();

        TrainingResult result = new TinyGptFineTuner(MINI).fineTune(job(temp.resolve("m"), 10, 3), updates::add);

        assertThat(updates).extracting(ProgressUpdate::step).containsExactly(3, 6, 9, 10);
        assertThat(updates).extracting(ProgressUpdate::epoch).containsExactly(0, 1, 2, 3); // 3 batches per epoch
        assertThat(updates).allSatisfy(update -> assertThat(update.validationLoss()).isNotNull().isPositive());
        assertThat(result.steps()).isEqualTo(10);
        assertThat(Files.exists(result.modelDir().resolve(Checkpoints.MANIFEST_FILE))).isTrue();
    }

    @Test
    void concurrentRunsQueueUpAndTheSameSeedGivesTheSameModel() {
        TinyGptFineTuner tuner = new TinyGptFineTuner(MINI);
        List<Integer> running = new CopyOnWriteArrayList<>();
        ProgressListener watch = update -> running.add(TrainingLock.isTraining() ? 1 : 0);

        CompletableFuture<TrainingResult> first =
                CompletableFuture.supplyAsync(() -> tuner.fineTune(job(temp.resolve("a"), 12, 4), watch));
        CompletableFuture<TrainingResult> second =
                CompletableFuture.supplyAsync(() -> tuner.fineTune(job(temp.resolve("b"), 12, 4), watch));
        TrainingResult a = first.join();
        TrainingResult b = second.join();

        assertThat(running).hasSize(6).containsOnly(1);
        assertThat(b.initialTrainLoss()).isEqualTo(a.initialTrainLoss());
        assertThat(b.finalValidationLoss()).isCloseTo(a.finalValidationLoss(), within(1e-5));
    }

    @Test
    void aJobThatDoesNotFitIsRejectedWithEveryReason() throws IOException {
        Path used = Files.createDirectories(temp.resolve("used"));
        Files.writeString(used.resolve("old.txt"), "x");
        TrainConfig tooLong = new TrainConfig(1, 1, 4, 33, 1e-3, 0, 0.0, 1L, 1);
        FineTuneJob job = new FineTuneJob("tiny-random", examples(4), List.of(), tooLong, used, null);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TinyGptFineTuner(MINI).fineTune(job, null))
                .withMessageContaining("sequenceLength 33 exceeds the model's context length 32")
                .withMessageContaining("must not exist or be an empty directory");
    }

    @Test
    void aStepLeavesNoArraysBehindAndClearsTheGradients() {
        TrainConfig config = new TrainConfig(1, 100, 4, 32, 1e-3, 0, 0.01, 1L, 10);
        LearningRateSchedule schedule = new LearningRateSchedule(1e-3, 0, 100);
        ByteTokenizer tokenizer = new ByteTokenizer();
        SequenceBatch batch = SequenceBatch.of(examples(4).stream().map(tokenizer::tokenize).toList(), 32);
        DjlRuntime.disableGradientRecording();

        try (Model model = Model.newInstance("probe", Device.cpu(), DjlRuntime.ENGINE_NAME)) {
            model.setBlock(new Gpt(MINI));
            try (Trainer trainer = model.newTrainer(TinyGptFineTuner.trainingConfig(config, schedule))) {
                trainer.initialize(new Shape(4, 32));
                TinyGptFineTuner.trainStep(trainer, batch); // creates the optimizer state
                int arraysAfterFirstStep = model.getNDManager().getManagedArrays().size();
                for (int i = 0; i < 20; i++) {
                    TinyGptFineTuner.trainStep(trainer, batch);
                }

                assertThat(model.getNDManager().getManagedArrays()).hasSize(arraysAfterFirstStep);
                for (Pair<String, Parameter> parameter : model.getBlock().getParameters()) {
                    try (NDArray gradient = parameter.getValue().getArray().getGradient()) {
                        assertThat(gradient.abs().sum().getFloat()).as(parameter.getKey()).isZero();
                    }
                }
            }
        }
    }
}
