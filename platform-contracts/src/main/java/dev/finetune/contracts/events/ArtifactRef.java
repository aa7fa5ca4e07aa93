package dev.finetune.contracts.events;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A stored artifact by reference: its {@code s3://bucket/key} address, the sha256 of its bytes and its size.
 * Artifacts never travel through Kafka themselves.
 */
public record ArtifactRef(String uri, String sha256, long sizeBytes) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public List<String> problems() {
        return new Problems()
                .check(uri != null && uri.startsWith("s3://") && uri.indexOf('/', 5) > 5, "uri",
                        "must look like s3://bucket/key but was " + uri)
                .check(sha256 != null && SHA256.matcher(sha256).matches(), "sha256",
                        "must be 64 lower-case hex digits")
                .check(sizeBytes >= 0, "sizeBytes", "must not be negative")
                .toList();
    }
}
