package dev.finetune.lm.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import dev.finetune.lm.model.BatchArrays;
import dev.finetune.lm.model.CausalLmLoss;
import dev.finetune.lm.model.DjlRuntime;
import dev.finetune.lm.model.Gpt;
import dev.finetune.lm.model.LossEvaluation;
import dev.finetune.lm.model.ModelConfig;
import dev.finetune.lm.text.ByteTokenizer;
import dev.finetune.lm.text.SequenceBatch;
import dev.finetune.lm.text.TokenizedExample;
import dev.finetune.lm.text.TrainingExample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes {@link ModelConfig#tiny()} from a random start ({@code tiny-random}): a real GPT trained for real, small
 * enough to run in tests, standing in for pre-trained engines.
 *
 * <p>The loop: AdamW (DJL's, betas 0.9/0.95; its decoupled weight decay applies to every parameter, biases and
 * LayerNorm included, unlike nanoGPT), learning rate from {@link LearningRateSchedule}, gradients clipped to global
 * norm 1.0, masked next-token cross-entropy. Initialisation and shuffling follow the seed; PyTorch's intra-op threads
 * are left at the engine's default (the number of cores).
 */
public final class TinyGptFineTuner implements FineTuner {

    /** The base-model name of this engine. */
    public static final String BASE_MODEL = "tiny-random";

    private static final Logger LOG = LoggerFactory.getLogger(TinyGptFineTuner.class);
    private static final double MAX_GRADIENT_NORM = 1.0;
    private static final float INIT_STD = 0.02f;

    private final ModelConfig modelConfig;
    private final ByteTokenizer tokenizer = new ByteTokenizer();

    public TinyGptFineTuner() {
        this(ModelConfig.tiny());
    }

    /** A fine-tuner of another shape, e.g. a smaller one for fast tests; the base-model name stays {@value #BASE_MODEL}. */
    public TinyGptFineTuner(ModelConfig modelConfig) {
        if (modelConfig.vocabSize() != new ByteTokenizer().vocabSize()) {
            throw new IllegalArgumentException("vocabSize must be the byte tokenizer's " + new ByteTokenizer().vocabSize()
                    + ", was " + modelConfig.vocabSize());
        }
        this.modelConfig = modelConfig;
    }

    @Override
    public TrainingResult fineTune(FineTuneJob job, ProgressListener listener) {
        check(job);
        return TrainingLock.exclusively(() -> train(job, listener == null ? ProgressListener.none() : listener));
    }

    private void check(FineTuneJob job) {
        List<String> problems = new ArrayList<>();
        if (!BASE_MODEL.equals(job.baseModel())) {
            problems.add("base model must be '" + BASE_MODEL + "', was '" + job.baseModel() + "'");
        }
        if (job.config().sequenceLength() > modelConfig.contextLength()) {
            problems.add("sequenceLength " + job.config().sequenceLength() + " exceeds the model's context length "
                    + modelConfig.contextLength());
        }
        if (Files.isRegularFile(job.outputDir()) || isNonEmptyDirectory(job.outputDir())) {
            problems.add("outputDir " + job.outputDir() + " must not exist or be an empty directory");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot fine-tune: " + String.join("; ", problems));
        }
    }

    private static boolean isNonEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TrainingResult train(FineTuneJob job, ProgressListener listener) {
        long started = System.nanoTime();
        TrainConfig config = job.config();
        Engine engine = DjlRuntime.engine();
        DjlRuntime.disableGradientRecording();
        engine.setRandomSeed(Long.hashCode(config.seed()));

        List<TokenizedExample> train = tokenize(job.train());
        List<TokenizedExample> validation = tokenize(job.validation());
        int totalSteps = config.totalSteps(train.size());
        LearningRateSchedule schedule = new LearningRateSchedule(config.learningRate(), config.warmupSteps(), totalSteps);
        LOG.info("fine-tuning {} ({}) on {} examples for {} steps", BASE_MODEL, modelConfig, train.size(), totalSteps);

        try (Model model = Model.newInstance(Checkpoints.WEIGHTS_NAME, Device.cpu(), DjlRuntime.ENGINE_NAME)) {
            model.setBlock(new Gpt(modelConfig));
            try (Trainer trainer = model.newTrainer(trainingConfig(config, schedule))) {
                trainer.initialize(new Shape(config.batchSize(), config.sequenceLength()));
                Loop loop = new Loop(trainer, config, schedule, train, validation, listener, totalSteps);
                loop.run();
                TrainingResult result = new TrainingResult(
                        job.outputDir(),
                        totalSteps,
                        loop.initialTrainLoss,
                        loop.lastWindowLoss,
                        loop.lastValidationLoss,
                        loop.totalTokens / (loop.trainNanos / 1e9),
                        Duration.ofNanos(System.nanoTime() - started));
                Checkpoints.save(model, modelConfig, job, result, job.outputDir());
                LOG.info("fine-tune done: {}", result);
                return result;
            }
        }
    }

    private List<TokenizedExample> tokenize(List<TrainingExample> examples) {
        return examples.stream().map(tokenizer::tokenize).toList();
    }

    static DefaultTrainingConfig trainingConfig(TrainConfig config, LearningRateSchedule schedule) {
        Optimizer adamW = Optimizer.adamW()
                .optLearningRateTracker(new ScheduleTracker(schedule))
                .optBeta1(0.9f)
                .optBeta2(0.95f)
                .optEpsilon(1e-8f)
                .optWeightDecays((float) config.weightDecay())
                .build();
        // the loop computes its own masked loss; DJL's Trainer insists on having one
        return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(adamW)
                .optInitializer(new NormalInitializer(INIT_STD), Parameter.Type.WEIGHT)
                .optDevices(new Device[] {Device.cpu()});
    }

    /**
     * One optimizer step on one batch: forward, masked loss, backward, clip, update. Every array of the step lives in
     * a manager closed at the end, so native memory stays flat; the optimizer zeroes the gradients after updating
     * (DJL's PyTorch AdamW does), so the next step starts clean.
     *
     * @return the batch's mean loss per target token before the update
     */
    static float trainStep(Trainer trainer, SequenceBatch batch) {
        try (NDManager stepManager = trainer.getManager().newSubManager()) {
            BatchArrays arrays = BatchArrays.of(stepManager, batch);
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(arrays.inputs())).singletonOrThrow(); // (B, T, V)
                NDArray meanNll = CausalLmLoss.meanNll(logits, arrays.targets(), arrays.mask(), arrays.targetCount());
                collector.backward(meanNll);
                loss = meanNll.getFloat();
            }
            GlobalNormClipping.clip(trainer.getModel().getBlock().getParameters(), MAX_GRADIENT_NORM, stepManager);
            trainer.step();
            return loss;
        }
    }

    /** Mean validation loss per target token, in inference mode (no dropout). */
    static double evaluate(Trainer trainer, List<TokenizedExample> examples, int batchSize, int sequenceLength) {
        return LossEvaluation.meanLoss(trainer::evaluate, trainer.getManager(), examples, batchSize, sequenceLength);
    }

    /** The state of one run of the loop; {@link #run()} reads top to bottom. */
    private static final class Loop {
        private final Trainer trainer;
        private final TrainConfig config;
        private final LearningRateSchedule schedule;
        private final List<TokenizedExample> train;
        private final List<TokenizedExample> validation;
        private final ProgressListener listener;
        private final int totalSteps;
        private final Random shuffler;

        double initialTrainLoss = Double.NaN;
        double lastWindowLoss = Double.NaN;
        double lastValidationLoss = Double.NaN;
        long totalTokens;
        long trainNanos;
        private double windowLossSum;
        private int windowSteps;
        private long windowTokens;
        private long windowNanos;

        Loop(Trainer trainer, TrainConfig config, LearningRateSchedule schedule, List<TokenizedExample> train,
                List<TokenizedExample> validation, ProgressListener listener, int totalSteps) {
            this.trainer = trainer;
            this.config = config;
            this.schedule = schedule;
            this.train = train;
            this.validation = validation;
            this.listener = listener;
            this.totalSteps = totalSteps;
            this.shuffler = new Random(config.seed());
        }

        void run() {
            int step = 0;
            for (int epoch = 0; step < totalSteps; epoch++) {
                List<Integer> order = shuffledOrder();
                for (int from = 0; from < order.size() && step < totalSteps; from += config.batchSize()) {
                    SequenceBatch batch = batch(order, from);
                    long begin = System.nanoTime();
                    float loss = trainStep(trainer, batch);
                    record(loss, batch.nonPadTokens(), System.nanoTime() - begin);
                    step++;
                    if (step % config.progressEverySteps() == 0 || step == totalSteps) {
                        report(step, epoch);
                    }
                }
            }
        }

        private List<Integer> shuffledOrder() {
            List<Integer> order = new ArrayList<>(train.size());
            for (int i = 0; i < train.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, shuffler);
            return order;
        }

        private SequenceBatch batch(List<Integer> order, int from) {
            List<TokenizedExample> rows = new ArrayList<>(config.batchSize());
            for (int i = from; i < Math.min(order.size(), from + config.batchSize()); i++) {
                rows.add(train.get(order.get(i)));
            }
            return SequenceBatch.of(rows, config.sequenceLength());
        }

        private void record(float loss, long tokens, long nanos) {
            if (!Float.isFinite(loss)) {
                throw new IllegalStateException("training diverged: loss is " + loss);
            }
            if (Double.isNaN(initialTrainLoss)) {
                initialTrainLoss = loss;
            }
            windowLossSum += loss;
            windowSteps++;
            windowTokens += tokens;
            windowNanos += nanos;
            totalTokens += tokens;
            trainNanos += nanos;
        }

        private void report(int step, int epoch) {
            lastWindowLoss = windowLossSum / windowSteps;
            Double validationLoss = null;
            if (!validation.isEmpty()) {
                lastValidationLoss = evaluate(trainer, validation, config.batchSize(), config.sequenceLength());
                validationLoss = lastValidationLoss;
            }
            ProgressUpdate update = new ProgressUpdate(step, totalSteps, epoch, lastWindowLoss, validationLoss,
                    schedule.at(step - 1), windowTokens / (windowNanos / 1e9));
            LOG.debug("{}", update);
            windowLossSum = 0;
            windowSteps = 0;
            windowTokens = 0;
            windowNanos = 0;
            listener.onProgress(update);
        }
    }
}
