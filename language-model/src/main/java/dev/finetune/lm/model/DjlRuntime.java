package dev.finetune.lm.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The one way this module reaches DJL's PyTorch engine, so that offline mode is set before the engine first loads.
 *
 * <p>Services call the library from their own threads and JVMs: without {@code ai.djl.offline=true} DJL would try
 * to download native libraries at start, and there is no network at run time. The natives come from the
 * {@code pytorch-native-cpu} jar instead.
 */
public final class DjlRuntime {

    /** DJL's name of the engine this module runs on. */
    public static final String ENGINE_NAME = "PyTorch";

    private DjlRuntime() {}

    /** The PyTorch engine, loaded offline unless the caller has set {@code ai.djl.offline} otherwise. */
    public static Engine engine() {
        useOfflineModeUnlessSet();
        return Engine.getEngine(ENGINE_NAME);
    }

    /**
     * Sets {@code ai.djl.offline=true} unless the caller has set it, before any DJL library loads.
     *
     * <p>Unless offline, DJL downloads natives it does not find, and looks up EC2 instance metadata to send
     * telemetry (at most once a day per JVM; the Hugging Face tokenizer does it from {@code newInstance}). Offline,
     * the natives come from the jars on the class path.
     */
    public static void useOfflineModeUnlessSet() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    /**
     * Turns off autograd recording on the calling thread.
     *
     * <p>PyTorch's grad mode is per thread and defaults to on; DJL switches it off only on the thread that loaded
     * the engine. Scoring on a service's worker thread would otherwise build (and then drop) an autograd graph for
     * every forward pass.
     */
    public static void disableGradientRecording() {
        engine();
        JniUtils.setGradMode(false);
    }

    /** PyTorch's version, e.g. {@code 2.7.1}. */
    public static String pytorchVersion() {
        return engine().getVersion();
    }

    /** DJL's version, e.g. {@code 0.36.0}. */
    public static String djlVersion() {
        return Engine.getDjlVersion();
    }
}
