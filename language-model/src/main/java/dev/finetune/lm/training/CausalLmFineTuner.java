package dev.finetune.lm.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.finetune.lm.checkpoint.BaseModel;
import dev.finetune.lm.model.CausalLm;
import dev.finetune.lm.model.DjlRuntime;
import dev.finetune.lm.model.LossEvaluation;
import dev.finetune.lm.model.NamedParameter;
import dev.finetune.lm.text.SequenceBatch;
import dev.finetune.lm.text.TokenizedExample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes a GPT-2 or Llama-family causal language model ({@link BaseModel}): every weight (FULL), or LoRA
 * adapters with the base frozen and left out of the optimizer.
 *
 * <p>The loop, nanoGPT's in Java: {@link AdamW} (PyTorch's), learning rate from {@link LearningRateSchedule}, gradient
 * accumulation over micro-batches, gradients clipped to global norm 1.0, masked next-token cross-entropy (prompt
 * tokens and padding never count), validation every {@code progressEverySteps} with early stopping that keeps the
 * best weights, and a resumable {@link TrainingState} every {@code checkpointEverySteps} steps. Initialisation,
 * data order and dropout follow the seed. The result is saved by {@link SavedModels}: Hugging Face layout, plus the
 * PEFT adapter for LoRA.
 */
public final class CausalLmFineTuner implements FineTuner {

    private static final Logger LOG = LoggerFactory.getLogger(CausalLmFineTuner.class);
    /** Batches whose examples are sorted by length together (see {@code Run.orderOf}). */
    static final int LENGTH_WINDOW_BATCHES = 16;

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
        if (job.config().earlyStoppingPatience() != null && job.validation().isEmpty()) {
            problems.add("earlyStoppingPatience needs validation examples");
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
        Engine engine = DjlRuntime.engine();
        DjlRuntime.disableGradientRecording();
        engine.setRandomSeed(Long.hashCode(job.config().seed()));
        try (NDManager manager = engine.newBaseManager()) {
            CausalLm network = base.instantiate(job.lora(), manager);
            if (job.lora() != null) {
                network.freezeAllButAdapters();
            }
            Run run = new Run(network, job, base, listener, manager);
            LOG.info("fine-tuning {} ({}, {} parameters, {} trainable, {}) on {} examples for {} steps",
                    base.reference(), base.config().modelType(), network.parameterCount(), run.trainableCount(),
                    job.lora() == null ? "FULL" : "LORA", job.train().size(), run.totalSteps);
            job.checkpoints().latest().ifPresent(run::resume);
            run.loop();
            TrainingResult result = run.result(Duration.ofNanos(System.nanoTime() - started));
            SavedModels.save(network, base, job, result);
            LOG.info("fine-tune done: {}", result);
            return result;
        }
    }

    /** The state of one run; {@link #loop()} reads top to bottom. */
    static final class Run {
        private final CausalLm network;
        private final FineTuneJob job;
        private final TrainConfig config;
        private final BaseModel base;
        private final ProgressListener listener;
        private final NDManager manager;
        private final ParameterStore parameters;
        private final TrainingStep trainStep;
        private final List<NamedParameter> trainable;
        private final AdamW optimizer;
        private final LearningRateSchedule schedule;
        private final List<TokenizedExample> train;
        private final List<TokenizedExample> validation;
        private final int padId;
        final int totalSteps;

        private int step;
        private double initialTrainLoss = Double.NaN;
        private double lastWindowLoss = Double.NaN;
        private double lastValidationLoss = Double.NaN;
        private double bestValidationLoss = Double.NaN;
        private int validationsSinceBest;
        private Map<String, float[]> bestWeights;
        private boolean stoppedEarly;
        private long totalTokens;
        private long trainNanos;
        private double windowLossSum;
        private int windowSteps;
        private long windowTokens;
        private long windowNanos;
        private int orderEpoch = -1;
        private List<Integer> order;

        Run(CausalLm network, FineTuneJob job, BaseModel base, ProgressListener listener, NDManager manager) {
            this.network = network;
            this.job = job;
            this.config = job.config();
            this.base = base;
            this.listener = listener;
            this.manager = manager;
            this.parameters = new ParameterStore(manager, false);
            this.trainStep = new TrainingStep(network, manager, config.weightDecay());
            this.trainable = trainStep.trainable();
            this.optimizer = trainStep.optimizer();
            this.train = job.train().stream().map(base.tokenizer()::tokenize).toList();
            this.validation = job.validation().stream().map(base.tokenizer()::tokenize).toList();
            this.padId = base.tokenizer().padId();
            this.totalSteps = config.totalSteps(train.size());
            this.schedule = new LearningRateSchedule(config.learningRate(), config.warmupSteps(), totalSteps,
                    config.decay());
        }

        long trainableCount() {
            return trainStep.trainableCount();
        }

        /** The step this run repeats. */
        TrainingStep step() {
            return trainStep;
        }

        void loop() {
            while (step < totalSteps && !stoppedEarly) {
                SequenceBatch[] microBatches = microBatches(step);
                long begin = System.nanoTime();
                float loss;
                try {
                    loss = trainStep.run(microBatches, schedule.at(step));
                } catch (IllegalStateException e) {
                    throw new IllegalStateException("training diverged at step " + (step + 1) + ": " + e.getMessage(), e);
                }
                long tokens = 0;
                for (SequenceBatch micro : microBatches) {
                    tokens += micro.nonPadTokens();
                }
                record(loss, tokens, System.nanoTime() - begin);
                step++;
                if (step % config.progressEverySteps() == 0 || step == totalSteps) {
                    report();
                }
                if (config.checkpointEverySteps() != null && step % config.checkpointEverySteps() == 0
                        && step < totalSteps) {
                    checkpoint();
                }
            }
            if (bestWeights != null && bestValidationLoss < lastValidationLoss) {
                restoreBest();
            }
        }

        /** The micro-batches of 0-based {@code step}: its slice of the epoch's order, split in equal parts. */
        private SequenceBatch[] microBatches(int step) {
            int stepsPerEpoch = config.stepsPerEpoch(train.size());
            List<Integer> epochOrder = orderOf(step / stepsPerEpoch);
            int from = (step % stepsPerEpoch) * config.batchSize();
            int to = Math.min(epochOrder.size(), from + config.batchSize());
            int micro = config.microBatchSize();
            List<SequenceBatch> batches = new ArrayList<>();
            for (int start = from; start < to; start += micro) {
                List<TokenizedExample> rows = new ArrayList<>(micro);
                for (int i = start; i < Math.min(to, start + micro); i++) {
                    rows.add(train.get(epochOrder.get(i)));
                }
                batches.add(SequenceBatch.of(rows, config.sequenceLength(), padId));
            }
            return batches.toArray(SequenceBatch[]::new);
        }

        /**
         * The epoch's example order: shuffled, then batched by length (each window of {@value CausalLmFineTuner#LENGTH_WINDOW_BATCHES}
         * batches sorted by length, cut into batches, and the batches shuffled), so rows of a batch are of similar
         * length and little of a step is padding. A function of the seed and the epoch only, so a resumed run sees
         * the same order.
         */
        private List<Integer> orderOf(int epoch) {
            if (epoch != orderEpoch) {
                Random random = new Random(config.seed() * 1_000_003L + epoch);
                List<Integer> shuffled = new ArrayList<>(train.size());
                for (int i = 0; i < train.size(); i++) {
                    shuffled.add(i);
                }
                Collections.shuffle(shuffled, random);
                int batch = config.batchSize();
                int window = batch * LENGTH_WINDOW_BATCHES;
                List<List<Integer>> batches = new ArrayList<>();
                for (int from = 0; from < shuffled.size(); from += window) {
                    List<Integer> part = new ArrayList<>(shuffled.subList(from, Math.min(shuffled.size(), from + window)));
                    part.sort(java.util.Comparator.comparingInt(i -> train.get(i).tokens().length));
                    for (int start = 0; start < part.size(); start += batch) {
                        batches.add(part.subList(start, Math.min(part.size(), start + batch)));
                    }
                }
                // the one short batch stays last, so every other step has batchSize examples
                List<List<Integer>> full = new ArrayList<>(batches.stream().filter(b -> b.size() == batch).toList());
                Collections.shuffle(full, random);
                batches.stream().filter(b -> b.size() != batch).forEach(full::add);
                order = full.stream().flatMap(List::stream).toList();
                orderEpoch = epoch;
            }
            return order;
        }

        private void record(float loss, long tokens, long nanos) {
            if (!Float.isFinite(loss)) {
                throw new IllegalStateException("training diverged at step " + (step + 1) + ": loss is " + loss);
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

        private void report() {
            lastWindowLoss = windowLossSum / windowSteps;
            Double validationLoss = null;
            if (!validation.isEmpty()) {
                DjlRuntime.disableGradientRecording();
                lastValidationLoss = LossEvaluation.meanLoss(ids -> network.forward(parameters, ids, false), manager,
                        validation, config.microBatchSize(), config.sequenceLength(), padId);
                validationLoss = lastValidationLoss;
                trackBest();
            }
            int stepsPerEpoch = config.stepsPerEpoch(train.size());
            ProgressUpdate update = new ProgressUpdate(step, totalSteps, (step - 1) / stepsPerEpoch, lastWindowLoss,
                    validationLoss, schedule.at(step - 1), windowTokens / (windowNanos / 1e9));
            LOG.debug("{}", update);
            windowLossSum = 0;
            windowSteps = 0;
            windowTokens = 0;
            windowNanos = 0;
            listener.onProgress(update);
        }

        /** Early stopping: remember the best weights; stop after {@code patience} validations without a better one. */
        private void trackBest() {
            Integer patience = config.earlyStoppingPatience();
            if (patience == null) {
                return;
            }
            if (Double.isNaN(bestValidationLoss) || lastValidationLoss < bestValidationLoss) {
                bestValidationLoss = lastValidationLoss;
                validationsSinceBest = 0;
                bestWeights = new HashMap<>();
                for (NamedParameter named : trainable) {
                    bestWeights.put(named.name(), named.parameter().getArray().toFloatArray());
                }
            } else if (++validationsSinceBest >= patience) {
                LOG.info("early stop at step {}: validation loss {} has not beaten {} for {} validations", step,
                        lastValidationLoss, bestValidationLoss, validationsSinceBest);
                stoppedEarly = true;
            }
        }

        private void restoreBest() {
            for (NamedParameter named : trainable) {
                named.parameter().getArray().set(bestWeights.get(named.name()));
            }
            lastValidationLoss = bestValidationLoss;
        }

        private void checkpoint() {
            Path folder;
            try {
                folder = Files.createTempDirectory("finetune-checkpoint-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            new TrainingState(job.baseModel(), totalSteps, step, optimizer.updates(), initialTrainLoss,
                    bestValidationLoss, validationsSinceBest, totalTokens, trainNanos)
                    .write(folder, trainable, optimizer.state(), bestWeights);
            job.checkpoints().save(step, folder);
            LOG.info("checkpoint after step {}", step);
        }

        /** Continues from a {@link TrainingState}: weights, optimizer moments, counters and data position. */
        void resume(Path folder) {
            TrainingState state = TrainingState.read(folder);
            if (!state.baseModel().equals(job.baseModel()) || state.totalSteps() != totalSteps) {
                throw new IllegalStateException("the checkpoint in " + folder + " is of another run (base model "
                        + state.baseModel() + ", " + state.totalSteps() + " steps)");
            }
            Map<String, float[]> weights = TrainingState.tensors(folder, TrainingState.WEIGHTS_FILE);
            for (NamedParameter named : trainable) {
                float[] values = weights.get(named.name());
                if (values == null) {
                    throw new IllegalStateException("the checkpoint in " + folder + " has no weights for " + named.name());
                }
                named.parameter().getArray().set(values);
            }
            optimizer.restore(trainable, TrainingState.tensors(folder, TrainingState.OPTIMIZER_FILE),
                    state.optimizerUpdates());
            Map<String, float[]> best = TrainingState.tensors(folder, TrainingState.BEST_FILE);
            bestWeights = best.isEmpty() ? null : best;
            step = state.step();
            initialTrainLoss = state.initialTrainLoss();
            bestValidationLoss = state.bestValidationLoss();
            validationsSinceBest = state.validationsSinceBest();
            totalTokens = state.totalTokens();
            trainNanos = state.trainNanos();
            LOG.info("resumed from the checkpoint after step {} of {}", step, totalSteps);
        }

        TrainingResult result(Duration duration) {
            return new TrainingResult(job.outputDir(), step, initialTrainLoss, lastWindowLoss, lastValidationLoss,
                    trainNanos == 0 ? 0 : totalTokens / (trainNanos / 1e9), duration, stoppedEarly);
        }
    }
}
