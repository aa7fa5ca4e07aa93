package dev.finetune.lm.training;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises training in one JVM.
 *
 * <p>DJL's PyTorch engine allows one open gradient collector per JVM (a static flag in {@code PtGradientCollector});
 * a second concurrent training would fail mid-run with an {@link IllegalStateException}. Every {@link FineTuner}
 * trains inside {@link #exclusively(Supplier)}, so concurrent calls queue up, first come first served.
 */
public final class TrainingLock {

    private static final ReentrantLock LOCK = new ReentrantLock(true);

    private TrainingLock() {}

    /** Runs {@code training} once no other training in this JVM is running. */
    public static <T> T exclusively(Supplier<T> training) {
        LOCK.lock();
        try {
            return training.get();
        } finally {
            LOCK.unlock();
        }
    }

    /** Whether some thread is training now. */
    public static boolean isTraining() {
        return LOCK.isLocked();
    }
}
