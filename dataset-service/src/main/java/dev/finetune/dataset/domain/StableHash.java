package dev.finetune.dataset.domain;

import dev.finetune.contracts.storage.Digests;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A hash of text that is the same on every machine and JVM, mapped onto [0, 1). */
final class StableHash {

    private StableHash() {
    }

    static double unitInterval(String text) {
        byte[] digest = Digests.newSha256().digest(text.getBytes(StandardCharsets.UTF_8));
        long top53 = ByteBuffer.wrap(digest).getLong() >>> 11;
        return top53 / (double) (1L << 53);
    }
}
