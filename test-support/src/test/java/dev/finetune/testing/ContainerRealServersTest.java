package dev.finetune.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune.contracts.storage.Buckets;
import dev.finetune.contracts.storage.S3Uri;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The same servers from the official images; skipped where there is no Docker engine. */
@Testcontainers(disabledWithoutDocker = true)
class ContainerRealServersTest {

    @Test
    void officialImagesStartWithTopicsAndBuckets() {
        try (RealServers s = RealServers.start(Set.of(RealServers.Server.values()), RealServers.Mode.CONTAINERS)) {
            assertThat(s.containers()).isTrue();
            S3Uri uri = new S3Uri(Buckets.MODELS, "probe.txt");
            s.objectStore().putBytes(uri, "x".getBytes(StandardCharsets.UTF_8), "text/plain");
            assertThat(s.objectStore().exists(uri)).isTrue();
            assertThat(s.configOverrides()).containsKeys("kafka.bootstrap.servers", "quarkus.datasource.jdbc.url");
        }
    }
}
