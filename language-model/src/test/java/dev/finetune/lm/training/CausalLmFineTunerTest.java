package dev.finetune.lm.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.finetune.lm.TinyModels;
import dev.finetune.lm.checkpoint.BaseModel;
import dev.finetune.lm.checkpoint.ModelFolder;
import dev.finetune.lm.generation.SamplingConfig;
import dev.finetune.lm.model.CausalLm;
import dev.finetune.lm.model.DjlRuntime;
import dev.finetune.lm.model.LoraConfig;
import dev.finetune.lm.model.ModelFamily;
import dev.finetune.lm.model.TransformerConfig;
import dev.finetune.lm.scoring.LanguageModel;
import dev.finetune.lm.tokenizer.ByteTokenizer;
import dev.finetune.lm.text.Examples;
import dev.finetune.lm.text.PromptTemplate;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The loop's contracts, on base models small enough that each run takes about a second. */
class CausalLmFineTunerTest {

    private static final TransformerConfig MINI_GPT2 = TransformerConfig.gpt2(259, 32, 1, 16, 2);
    private static final TransformerConfig MINI_LLAMA = TransformerConfig.llama(259, 32, 1, 16, 2, 1, 32);

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

    private Path base(TransformerConfig config) {
        Path folder = temp.resolve("base-" + config.modelType());
        return Files.isDirectory(folder) ? folder : TinyModels.write(folder, config, 3, 0.02f);
    }

    private FineTuneJob job(Path base, Path outputDir, int maxSteps, int progressEvery, LoraConfig lora) {
        TrainConfig config = new TrainConfig(1, maxSteps, 4, 32, 1e-2, 2, 0.0, 7L, progressEvery);
        return new FineTuneJob(base.toString(), examples(12), examples(4), config, outputDir, Map.of(), lora,
                CheckpointStore.none());
    }

    @Test
    void progressComesEveryPeriodAndAtTheEnd() {
        List<ProgressUpdate> updates = new ArrayList<>();

        TrainingResult result = new CausalLmFineTuner()
                .fineTune(job(base(MINI_GPT2), temp.resolve("m"), 10, 3, null), updates::add);

        assertThat(updates).extracting(ProgressUpdate::step).containsExactly(3, 6, 9, 10);
        assertThat(updates).extracting(ProgressUpdate::epoch).containsExactly(0, 1, 2, 3); // 3 batches per epoch
        assertThat(updates).allSatisfy(update -> assertThat(update.validationLoss()).isNotNull().isPositive());
        assertThat(result.steps()).isEqualTo(10);
        assertThat(result.finalTrainLoss()).isLessThan(result.initialTrainLoss());
        assertThat(Files.exists(result.modelDir().resolve(SavedModels.MANIFEST_FILE))).isTrue();
    }

    @Test
    void concurrentRunsQueueUpAndTheSameSeedGivesTheSameModel() {
        CausalLmFineTuner tuner = new CausalLmFineTuner();
        Path base = base(MINI_GPT2);
        List<Integer> running = new CopyOnWriteArrayList<>();
        ProgressListener watch = update -> running.add(TrainingLock.isTraining() ? 1 : 0);

        CompletableFuture<TrainingResult> first =
                CompletableFuture.supplyAsync(() -> tuner.fineTune(job(base, temp.resolve("a"), 12, 4, null), watch));
        CompletableFuture<TrainingResult> second =
                CompletableFuture.supplyAsync(() -> tuner.fineTune(job(base, temp.resolve("b"), 12, 4, null), watch));
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
        FineTuneJob job = new FineTuneJob(base(MINI_GPT2).toString(), examples(4), List.of(), tooLong, used, null);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CausalLmFineTuner().fineTune(job, null))
                .withMessageContaining("sequenceLength 33 exceeds the model's context length 32")
                .withMessageContaining("must not exist or be an empty directory");
    }

    @Test
    void anUnknownBaseModelIsRejectedByName() {
        FineTuneJob job = new FineTuneJob("no/such/model", examples(4), List.of(),
                new TrainConfig(1, 1, 4, 8, 1e-3, 0, 0.0, 1L, 1), temp.resolve("x"), null);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CausalLmFineTuner().fineTune(job, null))
                .withMessageContaining("unknown base model 'no/such/model'");
    }

    static Stream<Arguments> familiesAndMethods() {
        return Stream.of(
                Arguments.of("gpt2 FULL", ModelFamily.GPT2, null, false),
                Arguments.of("gpt2 LORA", ModelFamily.GPT2, LoraConfig.attention(ModelFamily.GPT2, 4, 8, 0.0), false),
                Arguments.of("gpt2 INSTRUCTION", ModelFamily.GPT2, null, true),
                Arguments.of("llama FULL", ModelFamily.LLAMA, null, false),
                Arguments.of("llama LORA", ModelFamily.LLAMA, LoraConfig.attention(ModelFamily.LLAMA, 4, 8, 0.0), false),
                Arguments.of("llama INSTRUCTION", ModelFamily.LLAMA, null, true));
    }

    /** The examples rendered as instruction pairs in the default template (what an INSTRUCTION job trains on). */
    private static List<TrainingExample> instructions(int count) {
        return examples(count).stream()
                .map(e -> PromptTemplate.HUMAN_ASSISTANT.example("Continue.", e.prompt(), e.completion()))
                .toList();
    }

    /** Hugging Face folders with their own byte-pair tokenizers, as checkpoints made elsewhere come. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("familiesAndMethods")
    void aFineTunedModelReloadsToTheOutputsItWasSavedWith(String name, ModelFamily family, LoraConfig lora,
            boolean instruction) {
        Path base = TinyModels.writeWithTokenizer(temp.resolve("base"), family, 5);
        List<TrainingExample> train = instruction ? instructions(12) : examples(12);
        List<TrainingExample> validation = instruction ? instructions(4) : examples(4);
        TrainConfig config = new TrainConfig(1, 12, 4, 64, 1e-2, 2, 0.0, 7L, 12);
        TrainingResult result = new CausalLmFineTuner().fineTune(new FineTuneJob(base.toString(), train, validation,
                config, temp.resolve("out"), Map.of(), lora, CheckpointStore.none()), null);

        try (LanguageModel reloaded = LanguageModel.load(result.modelDir());
                LanguageModel original = LanguageModel.load(base)) {
            assertThat(reloaded.config()).isEqualTo(original.config());
            assertThat(reloaded.meanLoss(validation, 3)).isCloseTo(result.finalValidationLoss(), within(1e-4));
            assertThat(reloaded.meanLoss(validation, 3)).isLessThan(original.meanLoss(validation, 3));
            int[] prompt = reloaded.tokenizer().encodeWithTemplate("Text: item 5\nLabel:");
            SamplingConfig greedy = SamplingConfig.greedy(6);
            assertThat(reloaded.generate(List.of(prompt), greedy).get(0))
                    .containsExactly(reloaded.generate(List.of(prompt), greedy).get(0));
        }
        assertThat(result.finalTrainLoss()).isLessThan(result.initialTrainLoss());
        assertThat(result.modelDir().resolve("tokenizer.json")).exists();
        assertThat(Files.exists(result.modelDir().resolve("adapter/adapter_model.safetensors"))).isEqualTo(lora != null);
    }

    @Test
    void loraTrainsOnlyTheAdapterAndTheMergedModelEqualsBasePlusAdapter() {
        Path base = base(MINI_LLAMA);
        LoraConfig lora = LoraConfig.attention(ModelFamily.LLAMA, 4, 8, 0.0);
        TrainingResult result = new CausalLmFineTuner().fineTune(job(base, temp.resolve("lora"), 12, 12, lora), null);
        Path adapterDir = result.modelDir().resolve(SavedModels.ADAPTER_DIR);

        DjlRuntime.disableGradientRecording();
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            ParameterStore inference = new ParameterStore(manager, false);
            CausalLm withAdapter = ModelFolder.load(base, ModelFolder.readAdapterConfig(adapterDir), manager);
            ModelFolder.loadAdapter(withAdapter, adapterDir);
            CausalLm merged = ModelFolder.load(result.modelDir(), null, manager);
            CausalLm original = ModelFolder.load(base, null, manager);
            NDArray ids = manager.create(new long[] {256, 105, 116, 101, 109, 32, 55}, new Shape(1, 7));

            NDArray adapted = withAdapter.forward(inference, new NDList(ids), false).singletonOrThrow();
            NDArray fromMerged = merged.forward(inference, new NDList(ids), false).singletonOrThrow();
            NDArray fromBase = original.forward(inference, new NDList(ids), false).singletonOrThrow();

            assertThat(adapted.sub(fromMerged).abs().max().getFloat()).isLessThan(1e-4f);
            assertThat(adapted.sub(fromBase).abs().max().getFloat()).isGreaterThan(1e-5f); // the adapter learned something
        }
        assertThat(ModelFolder.readAdapterConfig(adapterDir)).isEqualTo(lora);
    }

    @Test
    void aStepLeavesNoArraysBehindAndClearsTheGradients() {
        TrainConfig config = new TrainConfig(1, 100, 4, 32, 1e-3, 0, 0.01, 1L, 10);
        FineTuneJob job = new FineTuneJob(BaseModel.TINY_RANDOM, examples(4), List.of(), config, temp.resolve("x"),
                null);
        DjlRuntime.disableGradientRecording();

        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            BaseModel base = BaseModel.random(MINI_LLAMA);
            CausalLm network = base.instantiate(null, manager);
            CausalLmFineTuner.Run run = new CausalLmFineTuner.Run(network, job, base, ProgressListener.none(), manager);
            SequenceBatch batch = SequenceBatch.of(examples(4).stream().map(base.tokenizer()::tokenize).toList(), 32,
                    ByteTokenizer.PAD);
            run.step().run(new SequenceBatch[] {batch}, 1e-3); // creates the optimizer state
            int arraysAfterFirstStep = manager.getManagedArrays().size();
            for (int i = 0; i < 20; i++) {
                run.step().run(new SequenceBatch[] {batch}, 1e-3);
            }

            assertThat(manager.getManagedArrays()).hasSize(arraysAfterFirstStep);
            for (var named : network.namedParameters()) {
                try (NDArray gradient = named.parameter().getArray().getGradient()) {
                    assertThat(gradient.abs().sum().getFloat()).as(named.name()).isZero();
                }
            }
        }
    }

    @Test
    void accumulatedMicroBatchesMakeTheUpdateOfOneBigBatch() {
        Path base = base(MINI_LLAMA);
        TrainConfig whole = new TrainConfig(1, 3, 4, 32, 1e-2, 0, 0.1, 7L, 3);
        TrainConfig accumulated = new TrainConfig(1, 3, 4, 32, 1e-2, 0, 0.1, 7L, 3, LearningRateSchedule.Decay.COSINE,
                4, null, null);

        TrainingResult a = new CausalLmFineTuner().fineTune(new FineTuneJob(base.toString(), examples(12), examples(4),
                whole, temp.resolve("whole"), null), null);
        TrainingResult b = new CausalLmFineTuner().fineTune(new FineTuneJob(base.toString(), examples(12), examples(4),
                accumulated, temp.resolve("accumulated"), null), null);

        assertThat(b.initialTrainLoss()).isCloseTo(a.initialTrainLoss(), within(1e-5));
        assertThat(b.finalValidationLoss()).isCloseTo(a.finalValidationLoss(), within(1e-4));
    }

    @Test
    void earlyStoppingEndsARunThatGetsWorseAndKeepsTheBestWeights() {
        Path base = base(MINI_GPT2);
        // a learning rate far too high: validation loss climbs after the first steps
        TrainConfig config = new TrainConfig(1, 40, 4, 32, 0.5, 0, 0.0, 7L, 1, LearningRateSchedule.Decay.COSINE, 1, 2,
                null);
        List<ProgressUpdate> updates = new ArrayList<>();

        TrainingResult result = new CausalLmFineTuner().fineTune(new FineTuneJob(base.toString(), examples(12),
                examples(4), config, temp.resolve("early"), null), updates::add);

        double best = updates.stream().mapToDouble(ProgressUpdate::validationLoss).min().orElseThrow();
        assertThat(result.stoppedEarly()).isTrue();
        assertThat(result.steps()).isLessThan(40);
        assertThat(result.finalValidationLoss()).isEqualTo(best);
        try (LanguageModel saved = LanguageModel.load(result.modelDir())) {
            assertThat(saved.meanLoss(examples(4), 4)).isCloseTo(best, within(1e-4));
        }
    }

    @Test
    void aRunResumedFromItsLastCheckpointEndsWhereAnUninterruptedOneDoes() {
        Path base = base(MINI_LLAMA);
        TrainConfig config = new TrainConfig(1, 12, 4, 32, 1e-2, 2, 0.1, 7L, 4, LearningRateSchedule.Decay.LINEAR, 2,
                null, 4);
        LoraConfig lora = LoraConfig.attention(ModelFamily.LLAMA, 4, 8, 0.0);
        TrainingResult uninterrupted = new CausalLmFineTuner().fineTune(new FineTuneJob(base.toString(), examples(12),
                examples(4), config, temp.resolve("straight"), null, lora,
                CheckpointStore.inDirectory(temp.resolve("straight-checkpoints"))), null);

        CheckpointStore store = CheckpointStore.inDirectory(temp.resolve("checkpoints"));
        ProgressListener crashAfterStepEight = update -> {
            if (update.step() > 8) {
                throw new IllegalStateException("simulated crash");
            }
        };
        assertThatThrownBy(() -> new CausalLmFineTuner().fineTune(new FineTuneJob(base.toString(), examples(12),
                examples(4), config, temp.resolve("crashed"), null, lora, store), crashAfterStepEight))
                .hasMessageContaining("simulated crash");
        assertThat(store.latest()).get().extracting(path -> path.getFileName().toString()).isEqualTo("step-00000008");
        List<ProgressUpdate> resumedUpdates = new ArrayList<>();
        TrainingResult resumed = new CausalLmFineTuner().fineTune(new FineTuneJob(base.toString(), examples(12),
                examples(4), config, temp.resolve("resumed"), null, lora, store), resumedUpdates::add);

        assertThat(resumedUpdates).extracting(ProgressUpdate::step).containsExactly(12);
        assertThat(resumed.steps()).isEqualTo(12);
        assertThat(resumed.initialTrainLoss()).isEqualTo(uninterrupted.initialTrainLoss());
        assertThat(resumed.finalValidationLoss()).isCloseTo(uninterrupted.finalValidationLoss(), within(1e-5));
    }

    @Test
    void anInstructionTunedModelAnswersItsPromptsWithTheirResponses() {
        Path base = TinyModels.writeWithTokenizer(temp.resolve("instruct-base"), ModelFamily.LLAMA, 9);
        PromptTemplate template = PromptTemplate.HUMAN_ASSISTANT;
        List<TrainingExample> pairs = List.of(
                template.example("Name a colour.", null, "Blue."),
                template.example("Count to three.", null, "One, two, three."),
                template.example("Say hello.", null, "Hello!"));
        TrainConfig config = new TrainConfig(1, 120, 3, 64, 1e-2, 5, 0.0, 7L, 40);

        TrainingResult result = new CausalLmFineTuner().fineTune(new FineTuneJob(base.toString(), pairs, pairs,
                config, temp.resolve("instructed"), null), null);

        try (LanguageModel model = LanguageModel.load(result.modelDir())) {
            for (TrainingExample pair : pairs) {
                int[] prompt = model.tokenizer().encodeWithTemplate(pair.prompt());
                int[] answer = model.generate(List.of(prompt), SamplingConfig.greedy(32)).get(0); // stops at </s>
                assertThat(model.tokenizer().decode(answer, true).strip()).isEqualTo(pair.completion().strip());
            }
        }
    }
}
