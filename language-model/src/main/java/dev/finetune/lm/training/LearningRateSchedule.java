package dev.finetune.lm.training;

/**
 * Learning rate per step: linear warm-up to the peak, then cosine (nanoGPT's {@code get_lr}) or linear decay to 10% of
 * the peak at the last step.
 *
 * <p>Pure: the same step always gives the same rate, so it can be tested and plotted without training.
 *
 * @param peak        learning rate at the end of warm-up
 * @param warmupSteps steps of warm-up; step {@code warmupSteps - 1} is the first at the peak
 * @param totalSteps  steps of the run; step {@code totalSteps - 1}, the last, is at the floor
 * @param decay       the shape of the decay after warm-up
 */
public record LearningRateSchedule(double peak, int warmupSteps, int totalSteps, Decay decay) {

    /** How the rate falls from the peak to the floor. */
    public enum Decay { COSINE, LINEAR }

    /** Fraction of the peak the cosine decays to. */
    public static final double FLOOR_FRACTION = 0.1;

    /** Warm-up then cosine decay. */
    public LearningRateSchedule(double peak, int warmupSteps, int totalSteps) {
        this(peak, warmupSteps, totalSteps, Decay.COSINE);
    }

    public LearningRateSchedule {
        if (decay == null) {
            throw new IllegalArgumentException("decay is required");
        }
        if (!(peak > 0) || warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException(
                    "need peak > 0, warmupSteps >= 0, totalSteps >= 1; was " + peak + ", " + warmupSteps + ", " + totalSteps);
        }
    }

    /** Learning rate of 0-based {@code step}; steps past the end stay at the floor. */
    public double at(int step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, was " + step);
        }
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        double floor = peak * FLOOR_FRACTION;
        int decaySteps = totalSteps - 1 - warmupSteps;
        if (decaySteps <= 0) {
            // no room to decay: the single step after warm-up runs at the peak, anything later at the floor
            return decaySteps == 0 && step == warmupSteps ? peak : floor;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        double remaining = decay == Decay.COSINE ? 0.5 * (1 + Math.cos(Math.PI * progress)) : 1 - progress;
        return floor + remaining * (peak - floor);
    }
}
