package dev.finetune.lm.training;

/** Receives progress reports from a fine-tune, on the training thread: return quickly. */
@FunctionalInterface
public interface ProgressListener {

    void onProgress(ProgressUpdate update);

    /** A listener that ignores every report. */
    static ProgressListener none() {
        return update -> {};
    }
}
