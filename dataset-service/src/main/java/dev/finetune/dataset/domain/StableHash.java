package dev.finetune.dataset.domain;

import dev.finetune.contracts.storage.Digests;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Hashes of text that are the same on every machine and JVM: the first 64 bits of SHA-256. */
public final class StableHash {

    private StableHash() {
    }

    public static long of(String text) {
        return ByteBuffer.wrap(Digests.newSha256().digest(text.getBytes(StandardCharsets.UTF_8))).getLong();
    }

    /** The hash mapped onto [0, 1), evenly. */
    static double unitInterval(String text) {
        return (of(text) >>> 11) / (double) (1L << 53);
    }
}
