package dev.finetune.stack.cli;

import dev.finetune.stack.StackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command shares: where the repository and the stack's data are, and the ports. */
public class StackOptions {

    @Option(names = "--repo", paramLabel = "DIR",
            description = "Repository root holding the service modules (default: $FINETUNE_REPO, else the nearest "
                    + "folder above the current one with pom.xml and local-stack/, else the current folder).")
    Path repo;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The stack's one data folder: server data, logs, stack.json (default: <repo>/.stack).")
    Path dataDir;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "" + StackConfig.DEFAULT_KAFKA_PORT,
            description = "Kafka client port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--kafka-controller-port", paramLabel = "PORT",
            defaultValue = "" + StackConfig.DEFAULT_KAFKA_CONTROLLER_PORT,
            description = "Kafka KRaft controller port (default: ${DEFAULT-VALUE}).")
    int kafkaControllerPort;

    @Option(names = "--s3-port", paramLabel = "PORT", defaultValue = "" + StackConfig.DEFAULT_S3_PORT,
            description = "S3 server port (default: ${DEFAULT-VALUE}).")
    int s3Port;

    @Option(names = "--postgres-port", paramLabel = "PORT", defaultValue = "" + StackConfig.DEFAULT_POSTGRES_PORT,
            description = "PostgreSQL port (default: ${DEFAULT-VALUE}).")
    int postgresPort;

    @Option(names = "--registry-port", paramLabel = "PORT", defaultValue = "" + StackConfig.DEFAULT_REGISTRY_PORT,
            description = "registry-service HTTP port (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--dataset-port", paramLabel = "PORT", defaultValue = "" + StackConfig.DEFAULT_DATASET_PORT,
            description = "dataset-service HTTP port (default: ${DEFAULT-VALUE}).")
    int datasetPort;

    @Option(names = "--trainer-port", paramLabel = "PORT", defaultValue = "" + StackConfig.DEFAULT_TRAINER_PORT,
            description = "trainer-service HTTP port (default: ${DEFAULT-VALUE}).")
    int trainerPort;

    @Option(names = "--evaluator-port", paramLabel = "PORT", defaultValue = "" + StackConfig.DEFAULT_EVALUATOR_PORT,
            description = "evaluator-service HTTP port (default: ${DEFAULT-VALUE}).")
    int evaluatorPort;

    @Option(names = "--s3-access-key", paramLabel = "KEY", defaultValue = StackConfig.DEFAULT_S3_ACCESS_KEY,
            description = "Access key of the local S3 server (default: ${DEFAULT-VALUE}).")
    String s3AccessKey;

    /** Read from the environment when not given, so that a secret need not appear in a process list. */
    static final String S3_SECRET_ENV = "FINETUNE_S3_SECRET_KEY";

    @Option(names = "--s3-secret-key", paramLabel = "SECRET",
            defaultValue = "${env:" + S3_SECRET_ENV + ":-" + StackConfig.DEFAULT_S3_SECRET_KEY + "}",
            description = "Secret key of the local S3 server (default: $" + S3_SECRET_ENV
                    + ", else a fixed local-only value).", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER)
    String s3SecretKey;

    @Option(names = "--service-heap", paramLabel = "SIZE", defaultValue = StackConfig.DEFAULT_SERVICE_HEAP,
            description = "Maximum Java heap of each service (default: ${DEFAULT-VALUE}).")
    String serviceHeap;

    /** The configuration these options describe. */
    public StackConfig toConfig() {
        return StackConfig.builder(repoRoot()).dataDir(dataDir).kafkaPort(kafkaPort)
                .kafkaControllerPort(kafkaControllerPort).s3Port(s3Port).postgresPort(postgresPort)
                .registryPort(registryPort).datasetPort(datasetPort).trainerPort(trainerPort)
                .evaluatorPort(evaluatorPort).s3AccessKey(s3AccessKey).s3SecretKey(s3SecretKey)
                .serviceHeap(serviceHeap).build();
    }

    Path repoRoot() {
        if (repo != null) {
            return repo;
        }
        String env = System.getenv("FINETUNE_REPO");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("local-stack"))) {
                return p;
            }
        }
        return cwd;
    }

    /**
     * The same configuration as command-line arguments, to start the supervisor JVM with; all but the S3
     * secret, which travels in the environment ({@link #S3_SECRET_ENV}).
     */
    static java.util.List<String> toArguments(StackConfig c) {
        return java.util.List.of("--repo", c.repoRoot().toString(), "--data-dir", c.dataDir().toString(),
                "--kafka-port", "" + c.kafkaPort(), "--kafka-controller-port", "" + c.kafkaControllerPort(),
                "--s3-port", "" + c.s3Port(), "--postgres-port", "" + c.postgresPort(),
                "--registry-port", "" + c.registryPort(), "--dataset-port", "" + c.datasetPort(),
                "--trainer-port", "" + c.trainerPort(), "--evaluator-port", "" + c.evaluatorPort(),
                "--s3-access-key", c.s3AccessKey(),
                "--service-heap", c.serviceHeap());
    }
}
