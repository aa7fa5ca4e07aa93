package dev.finetune.trainer.domain;

import dev.finetune.lm.training.ProgressUpdate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/** Prometheus figures of the job this replica is running: steps done, latest loss and throughput. */
@ApplicationScoped
public class TrainingMetrics {

    private final Counter steps;
    private final AtomicLong loss = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    private final AtomicLong tokensPerSecond = new AtomicLong(Double.doubleToLongBits(0));
    private int lastStep;

    public TrainingMetrics(MeterRegistry meters) {
        steps = meters.counter("finetune.training.steps");
        meters.gauge("finetune.training.loss", loss, bits -> Double.longBitsToDouble(bits.get()));
        meters.gauge("finetune.training.tokens.per.second", tokensPerSecond, bits -> Double.longBitsToDouble(bits.get()));
    }

    synchronized void jobStarted() {
        lastStep = 0;
    }

    synchronized void record(ProgressUpdate update) {
        steps.increment(Math.max(0, update.step() - lastStep));
        lastStep = update.step();
        loss.set(Double.doubleToLongBits(update.trainLoss()));
        tokensPerSecond.set(Double.doubleToLongBits(update.tokensPerSecond()));
    }
}
