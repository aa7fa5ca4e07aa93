package dev.finetune.lm.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.finetune.lm.model.BatchArrays;
import dev.finetune.lm.model.CausalLm;
import dev.finetune.lm.model.CausalLmLoss;
import dev.finetune.lm.model.DjlRuntime;
import dev.finetune.lm.model.NamedParameter;
import dev.finetune.lm.text.SequenceBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * One optimizer step of a model: forward and backward over each micro-batch (gradients add up, each loss weighted by
 * its share of the step's target tokens, so the update equals that of one big batch), global-norm clipping, AdamW.
 *
 * <p>The unit the fine-tuner loops over and the benchmark times. Every array of a step lives in a manager closed at
 * its end, so native memory stays flat over a run; only the trainable parameters (not LoRA's frozen base) get
 * gradients and optimizer state.
 */
public final class TrainingStep {

    private final CausalLm network;
    private final NDManager manager;
    private final ParameterStore parameters;
    private final List<NamedParameter> trainable;
    private final AdamW optimizer;

    /** @param manager the model's manager, parent of each step's */
    public TrainingStep(CausalLm network, NDManager manager, double weightDecay) {
        this.network = network;
        this.manager = manager;
        this.parameters = new ParameterStore(manager, false);
        this.trainable = network.namedParameters().stream()
                .filter(named -> named.parameter().requiresGradient())
                .toList();
        this.optimizer = new AdamW(TrainConfig.BETA1, TrainConfig.BETA2, TrainConfig.EPSILON, weightDecay);
    }

    /**
     * Runs the step.
     *
     * @return the step's mean loss per target token before the update
     * @throws IllegalStateException when the loss or the gradient is not finite, naming the parameters affected;
     *                               no update is made then
     */
    public float run(SequenceBatch[] microBatches, double learningRate) {
        long targets = 0;
        for (SequenceBatch micro : microBatches) {
            targets += micro.targetCount();
        }
        try (NDManager step = manager.newSubManager()) {
            double lossSum = 0;
            for (SequenceBatch micro : microBatches) {
                BatchArrays arrays = BatchArrays.of(step, micro);
                try (GradientCollector collector = DjlRuntime.engine().newGradientCollector()) {
                    NDArray logits = network.forward(parameters, new NDList(arrays.inputs()), true)
                            .singletonOrThrow(); // (B, T, V)
                    NDArray loss = CausalLmLoss.meanNll(logits, arrays.targets(), arrays.mask(), targets); // ()
                    collector.backward(loss);
                    lossSum += loss.getFloat();
                }
            }
            double norm = GlobalNormClipping.clip(trainable, TrainConfig.MAX_GRADIENT_NORM, step);
            if (!Double.isFinite(norm) || !Double.isFinite(lossSum)) {
                // an update from a non-finite gradient would poison every weight: stop with the evidence
                throw new IllegalStateException("loss " + lossSum + ", gradient norm " + norm + nonFinite(step));
            }
            optimizer.update(trainable, learningRate, step);
            return (float) lossSum;
        }
    }

    /** The parameters that get gradients and optimizer state. */
    public List<NamedParameter> trainable() {
        return trainable;
    }

    /** Number of trainable values. */
    public long trainableCount() {
        return trainable.stream().mapToLong(named -> named.parameter().getShape().size()).sum();
    }

    AdamW optimizer() {
        return optimizer;
    }

    private String nonFinite(NDManager step) {
        List<String> names = new ArrayList<>();
        for (NamedParameter named : trainable) {
            NDArray gradient = named.parameter().getArray().getGradient();
            gradient.attach(step);
            if (!Float.isFinite(gradient.abs().max().getFloat())) {
                names.add(named.name());
            }
        }
        return names.isEmpty() ? "" : "; non-finite gradients of " + names;
    }
}
