package dev.finetune.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StackConfigTest {

    private final Path repo = Path.of("/tmp/repo");

    @Test
    void defaultsUseTheDocumentedPortsAndDataUnderTheRepository() {
        StackConfig c = StackConfig.defaults(repo);
        assertThat(c.kafkaPort()).isEqualTo(19092);
        assertThat(c.kafkaControllerPort()).isEqualTo(19093);
        assertThat(c.s3Port()).isEqualTo(19000);
        assertThat(c.postgresPort()).isEqualTo(15432);
        assertThat(c.registryPort()).isEqualTo(18080);
        assertThat(c.datasetPort()).isEqualTo(18081);
        assertThat(c.trainerPort()).isEqualTo(18082);
        assertThat(c.evaluatorPort()).isEqualTo(18083);
        assertThat(c.dataDir()).isEqualTo(repo.resolve(".stack"));
        assertThat(c.stateFile()).isEqualTo(repo.resolve(".stack/stack.json"));
        assertThat(c.postgresJdbcUrl()).isEqualTo("jdbc:postgresql://localhost:15432/registry");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> StackConfig.builder(repo).kafkaPort(0).s3Port(18080).s3SecretKey("short")
                .serviceHeap("lots").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafkaPort: must be between 1 and 65535")
                .hasMessageContaining("registryPort: port 18080 is already used by s3Port")
                .hasMessageContaining("s3SecretKey")
                .hasMessageContaining("serviceHeap");
    }

    @Test
    void servicesGetTheirEnvironment() {
        StackConfig c = StackConfig.builder(repo).dataDir(Path.of("/data")).kafkaPort(29092).build();
        var registry = PlatformService.REGISTRY.environment(c);
        assertThat(registry).containsEntry("QUARKUS_HTTP_PORT", "18080")
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "localhost:29092")
                .containsEntry("FINETUNE_STORAGE_ENDPOINT", "http://localhost:19000")
                .containsEntry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:15432/registry")
                .containsKeys("FINETUNE_STORAGE_ACCESS_KEY", "FINETUNE_STORAGE_SECRET_KEY",
                        "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");
        assertThat(PlatformService.DATASET.environment(c)).doesNotContainKey("QUARKUS_DATASOURCE_JDBC_URL");
        assertThat(PlatformService.TRAINER.environment(c)).containsEntry("FINETUNE_TRAINER_WORK_DIR", "/data/trainer");
        assertThat(PlatformService.EVALUATOR.environment(c))
                .containsEntry("FINETUNE_EVALUATOR_WORK_DIR", "/data/evaluator");
        assertThat(PlatformService.TRAINER.jar(c))
                .isEqualTo(repo.resolve("trainer-service/target/quarkus-app/quarkus-run.jar"));
    }

    @Test
    void serviceCommandIsOfflineWithABoundedHeap() {
        StackConfig c = StackConfig.defaults(repo);
        assertThat(ServiceProcess.of(PlatformService.TRAINER, c).command())
                .contains("-Dai.djl.offline=true", "-Xmx512m", "-jar",
                        repo.resolve("trainer-service/target/quarkus-app/quarkus-run.jar").toString());
    }

    @Test
    void stackStateRoundTripsThroughJson(@org.junit.jupiter.api.io.TempDir Path dir) {
        StackState s = new StackState(42, StackState.UP, java.time.Instant.parse("2026-01-01T00:00:00Z"), "/r", "/d",
                null, java.util.List.of(new StackState.Component("kafka", "server", 19092, 7, "localhost:19092", null,
                "/d/logs/kafka.log", 4.2)));
        s.write(dir.resolve("stack.json"));
        assertThat(StackState.read(dir.resolve("stack.json"))).contains(s);
        assertThat(StackState.read(dir.resolve("missing.json"))).isEmpty();
    }
}
