package dev.finetune.lm.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import dev.finetune.lm.checkpoint.BaseModel;
import dev.finetune.lm.model.BatchArrays;
import dev.finetune.lm.model.CausalLm;
import dev.finetune.lm.model.CausalLmLoss;
import dev.finetune.lm.model.DjlRuntime;
import dev.finetune.lm.model.LossEvaluation;
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
 * Fine-tunes a GPT-2 or Llama-family causal language model ({@link BaseModel}): every weight (FULL), or LoRA
 * adapters with the base frozen and left out of the optimizer.
 *
 * <p>The loop: AdamW (DJL's, betas 0.9/0.95, decoupled weight decay on every trained parameter), learning rate from
 * {@link LearningRateSchedule}, gradients clipped to global norm 1.0, masked next-token cross-entropy (prompt tokens
 * and padding never count). Initialisation and shuffling follow the seed. The result is saved by
 * {@link SavedModels}: Hugging Face layout, plus the PEFT adapter for LoRA.
 */
public final class CausalLmFineTuner implements FineTuner {

    private static final Logger LOG = LoggerFactory.getLogger(CausalLmFineTuner.class);
    private static final double MAX_GRADIENT_NORM = 1.0;

    @Override
    public TrainingResult fineTune(FineTuneJob job, ProgressListener listener) {
        BaseModel base = BaseModel.resolve(job.baseModel());
        check(job, base);
        return TrainingLock.exclusively(() -> train(job, base, listener == null ? ProgressListener.none() : listener));
    }

    private static void check(FineTuneJob job, BaseModel base) {
        List<String> problems = new ArrayList<>();
        if (job.config().sequenceLength() > base.config().contextLength()) {
            problems.add("sequenceLength " + job.config().sequenceLength() + " exceeds the model's context length "
                    + base.config().contextLength());
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

    private TrainingResult train(FineTuneJob job, BaseModel base, ProgressListener listener) {
        long started = System.nanoTime();
        TrainConfig config = job.config();
        Engine engine = DjlRuntime.engine();
        DjlRuntime.disableGradientRecording();
        engine.setRandomSeed(Long.hashCode(config.seed()));

        List<TokenizedExample> train = job.train().stream().map(base.tokenizer()::tokenize).toList();
        List<TokenizedExample> validation = job.validation().stream().map(base.tokenizer()::tokenize).toList();
        int totalSteps = config.totalSteps(train.size());
        LearningRateSchedule schedule = new LearningRateSchedule(config.learningRate(), config.warmupSteps(), totalSteps);

        try (Model model = Model.newInstance("causal-lm", Device.cpu(), DjlRuntime.ENGINE_NAME)) {
            CausalLm network = base.instantiate(job.lora(), model.getNDManager());
            if (job.lora() != null) {
                network.freezeAllButAdapters();
            }
            model.setBlock(network);
            LOG.info("fine-tuning {} ({}, {} parameters, {}) on {} examples for {} steps", base.reference(),
                    base.config().modelType(), network.parameterCount(), job.lora() == null ? "FULL" : "LORA",
                    train.size(), totalSteps);
            try (Trainer trainer = model.newTrainer(trainingConfig(config, schedule))) {
                trainer.initialize(new Shape(config.batchSize(), config.sequenceLength()));
                Loop loop = new Loop(trainer, config, schedule, train, validation, listener, totalSteps,
                        base.tokenizer().padId());
                loop.run();
                TrainingResult result = new TrainingResult(job.outputDir(), totalSteps, loop.initialTrainLoss,
                        loop.lastWindowLoss, loop.lastValidationLoss, loop.totalTokens / (loop.trainNanos / 1e9),
                        Duration.ofNanos(System.nanoTime() - started));
                SavedModels.save(network, base, job, result);
                LOG.info("fine-tune done: {}", result);
                return result;
            }
        }
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

    /** The state of one run of the loop; {@link #run()} reads top to bottom. */
    private static final class Loop {
        private final Trainer trainer;
        private final TrainConfig config;
        private final LearningRateSchedule schedule;
        private final List<TokenizedExample> train;
        private final List<TokenizedExample> validation;
        private final ProgressListener listener;
        private final int totalSteps;
        private final int padId;
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
                List<TokenizedExample> validation, ProgressListener listener, int totalSteps, int padId) {
            this.trainer = trainer;
            this.config = config;
            this.schedule = schedule;
            this.train = train;
            this.validation = validation;
            this.listener = listener;
            this.totalSteps = totalSteps;
            this.padId = padId;
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
            return SequenceBatch.of(rows, config.sequenceLength(), padId);
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
                lastValidationLoss = LossEvaluation.meanLoss(trainer::evaluate, trainer.getManager(), validation,
                        config.batchSize(), config.sequenceLength(), padId);
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
