package dev.finetune.trainer.domain;

import dev.finetune.lm.training.ProgressUpdate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prometheus figures of the job this replica is running: steps done, the latest train and validation loss, learning
 * rate and throughput, and whether a job runs (a replica trains one job at a time).
 */
@ApplicationScoped
@Startup // the gauges exist from the start, before the first job
public class TrainingMetrics {

    private final Counter steps;
    private final AtomicLong loss = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    private final AtomicLong tokensPerSecond = new AtomicLong(Double.doubleToLongBits(0));
    private final AtomicLong validationLoss = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    private final AtomicLong learningRate = new AtomicLong(Double.doubleToLongBits(0));
    private final AtomicLong running = new AtomicLong();
    private int lastStep;

    public TrainingMetrics(MeterRegistry meters) {
        steps = meters.counter("finetune.training.steps");
        meters.gauge("finetune.training.loss", loss, bits -> Double.longBitsToDouble(bits.get()));
        meters.gauge("finetune.training.tokens.per.second", tokensPerSecond, bits -> Double.longBitsToDouble(bits.get()));
        meters.gauge("finetune.training.validation.loss", validationLoss, bits -> Double.longBitsToDouble(bits.get()));
        meters.gauge("finetune.training.learning.rate", learningRate, bits -> Double.longBitsToDouble(bits.get()));
        meters.gauge("finetune.training.jobs.running", running, AtomicLong::get);
    }

    synchronized void jobStarted() {
        lastStep = 0;
        running.incrementAndGet();
        validationLoss.set(Double.doubleToLongBits(Double.NaN));
    }

    synchronized void jobEnded() {
        running.decrementAndGet();
    }

    synchronized void record(ProgressUpdate update) {
        steps.increment(Math.max(0, update.step() - lastStep));
        lastStep = update.step();
        loss.set(Double.doubleToLongBits(update.trainLoss()));
        tokensPerSecond.set(Double.doubleToLongBits(update.tokensPerSecond()));
        learningRate.set(Double.doubleToLongBits(update.learningRate()));
        if (update.validationLoss() != null) {
            validationLoss.set(Double.doubleToLongBits(update.validationLoss()));
        }
    }
}
