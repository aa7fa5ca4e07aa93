package dev.finetune.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.storage.Buckets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the three real servers (not the services), checks topics, buckets and the database, and stops them. */
class ServersIntegrationTest {

    @TempDir
    Path data;

    @Test
    void serversStartCreateTopicsAndBucketsAndFreeTheirPortsOnClose() throws Exception {
        int kafkaPort = Ports.freePort();
        int controllerPort = Ports.freePort();
        int s3Port = Ports.freePort();
        int pgPort = Ports.freePort();
        Path logs = data.resolve("logs");

        try (KafkaBroker kafka = new KafkaBroker(kafkaPort, controllerPort, data.resolve("kafka"), logs.resolve("kafka.log"));
             S3Server s3 = new S3Server(s3Port, data.resolve("s3"), logs.resolve("s3.log"), "test-key", "test-secret-123");
             PostgresServer pg = new PostgresServer(pgPort, data.resolve("postgres"), logs.resolve("postgres.log"),
                     "registry", "registry_user", "registry-pw")) {
            report("kafka", () -> kafka.start(Duration.ofSeconds(90)), kafka);
            report("s3", () -> s3.start(Duration.ofSeconds(60)), s3);
            report("postgres", () -> pg.start(Duration.ofSeconds(60)), pg);

            try (Admin admin = kafka.admin()) {
                Map<String, Integer> partitions = PlatformTopics.partitions(admin);
                assertThat(partitions.keySet()).containsExactlyInAnyOrderElementsOf(Topics.allNames());
                for (Topics.Topic t : Topics.ALL) {
                    assertThat(partitions.get(t.name())).as(t.name()).isEqualTo(t.partitions());
                    if (t.consumed()) {
                        assertThat(partitions.get(t.dlq())).as(t.dlq()).isEqualTo(t.dlqPartitions());
                    }
                }
            }
            for (String bucket : Buckets.ALL) {
                assertThat(Files.isDirectory(data.resolve("s3").resolve("buckets").resolve(bucket))).as(bucket).isTrue();
            }
            s3.objectStore().ensureBuckets(Buckets.ALL); // idempotent, and proves the credentials are accepted
            try (Connection c = pg.connect(); ResultSet r = c.createStatement().executeQuery("SELECT current_database()")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("registry");
            }
        }
        assertThat(Ports.isFree(kafkaPort)).as("kafka port free").isTrue();
        assertThat(Ports.isFree(controllerPort)).as("controller port free").isTrue();
        assertThat(Ports.isFree(s3Port)).as("s3 port free").isTrue();
        assertThat(Ports.isFree(pgPort)).as("postgres port free").isTrue();
    }

    private static void report(String name, Runnable start, StackComponent component) {
        long t0 = System.nanoTime();
        start.run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s started in %.1f s, pid %d, RSS %s%n", name, seconds, component.pid(),
                ProcessStats.rss(component.pid()));
    }
}
