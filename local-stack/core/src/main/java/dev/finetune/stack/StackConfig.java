package dev.finetune.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the local stack keeps its data and which ports it uses. Defaults: Kafka 19092 (controller 19093),
 * S3 19000, PostgreSQL 15432, registry 18080, dataset 18081, trainer 18082, evaluator 18083, data in
 * {@code <repo>/.stack}. The constructor reports every problem at once.
 *
 * @param repoRoot     the repository checkout: service jars are {@code <repo>/<service>/target/quarkus-app/quarkus-run.jar}
 * @param dataDir      the one folder for every server's data, the logs and {@code stack.json}
 * @param serviceHeap  maximum Java heap of each service JVM (PyTorch's native memory comes on top)
 */
public record StackConfig(
        Path repoRoot,
        Path dataDir,
        int kafkaPort,
        int kafkaControllerPort,
        int s3Port,
        int postgresPort,
        int registryPort,
        int datasetPort,
        int trainerPort,
        int evaluatorPort,
        String s3AccessKey,
        String s3SecretKey,
        String postgresDatabase,
        String postgresUser,
        String postgresPassword,
        String serviceHeap) {

    public static final int DEFAULT_KAFKA_PORT = 19092;
    public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 19093;
    public static final int DEFAULT_S3_PORT = 19000;
    public static final int DEFAULT_POSTGRES_PORT = 15432;
    public static final int DEFAULT_REGISTRY_PORT = 18080;
    public static final int DEFAULT_DATASET_PORT = 18081;
    public static final int DEFAULT_TRAINER_PORT = 18082;
    public static final int DEFAULT_EVALUATOR_PORT = 18083;
    /** Local-only credentials of the stack's S3 server; never used outside this machine. */
    public static final String DEFAULT_S3_ACCESS_KEY = "finetune";
    public static final String DEFAULT_S3_SECRET_KEY = "finetune-local-secret";
    public static final String DEFAULT_POSTGRES_DATABASE = "registry";
    public static final String DEFAULT_POSTGRES_USER = "finetune";
    public static final String DEFAULT_POSTGRES_PASSWORD = "finetune";
    public static final String DEFAULT_SERVICE_HEAP = "512m";

    public StackConfig {
        repoRoot = repoRoot == null ? null : repoRoot.toAbsolutePath().normalize();
        dataDir = dataDir == null ? null : dataDir.toAbsolutePath().normalize();
        List<String> problems = new ArrayList<>();
        if (repoRoot == null) {
            problems.add("repoRoot: is required");
        }
        if (dataDir == null) {
            problems.add("dataDir: is required");
        }
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        ports.put("kafkaPort", kafkaPort);
        ports.put("kafkaControllerPort", kafkaControllerPort);
        ports.put("s3Port", s3Port);
        ports.put("postgresPort", postgresPort);
        ports.put("registryPort", registryPort);
        ports.put("datasetPort", datasetPort);
        ports.put("trainerPort", trainerPort);
        ports.put("evaluatorPort", evaluatorPort);
        Map<Integer, String> seen = new HashMap<>();
        ports.forEach((name, port) -> {
            if (port < 1 || port > 65535) {
                problems.add(name + ": must be between 1 and 65535, was " + port);
            } else if (seen.containsKey(port)) {
                problems.add(name + ": port " + port + " is already used by " + seen.get(port));
            } else {
                seen.put(port, name);
            }
        });
        if (s3AccessKey == null || s3AccessKey.length() < 3) {
            problems.add("s3AccessKey: must have at least 3 characters");
        }
        if (s3SecretKey == null || s3SecretKey.length() < 8) {
            problems.add("s3SecretKey: must have at least 8 characters (MinIO's rule)");
        }
        if (postgresDatabase == null || !postgresDatabase.matches("[a-z_][a-z0-9_]*")) {
            problems.add("postgresDatabase: must be a lower-case SQL name");
        }
        if (postgresUser == null || !postgresUser.matches("[a-z_][a-z0-9_]*")) {
            problems.add("postgresUser: must be a lower-case SQL name");
        }
        if (postgresPassword == null || postgresPassword.isEmpty()) {
            problems.add("postgresPassword: is required");
        }
        if (serviceHeap == null || !serviceHeap.matches("\\d+[mMgG]")) {
            problems.add("serviceHeap: must look like 512m or 1g");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid stack configuration: " + String.join("; ", problems));
        }
    }

    /** The defaults, with data in {@code <repoRoot>/.stack}. */
    public static StackConfig defaults(Path repoRoot) {
        return builder(repoRoot).build();
    }

    public static Builder builder(Path repoRoot) {
        return new Builder(repoRoot);
    }

    public Builder toBuilder() {
        return new Builder(repoRoot).dataDir(dataDir).kafkaPort(kafkaPort).kafkaControllerPort(kafkaControllerPort)
                .s3Port(s3Port).postgresPort(postgresPort).registryPort(registryPort).datasetPort(datasetPort)
                .trainerPort(trainerPort).evaluatorPort(evaluatorPort).s3AccessKey(s3AccessKey)
                .s3SecretKey(s3SecretKey).postgresDatabase(postgresDatabase).postgresUser(postgresUser)
                .postgresPassword(postgresPassword).serviceHeap(serviceHeap);
    }

    public Path logsDir() {
        return dataDir.resolve("logs");
    }

    /** The stack's token signing keys ({@code SigningKeys}): made at the first start, readable by the owner only. */
    public Path securityDir() {
        return dataDir.resolve("security");
    }

    public Path stateFile() {
        return dataDir.resolve("stack.json");
    }

    public String kafkaBootstrapServers() {
        return "localhost:" + kafkaPort;
    }

    public String s3Endpoint() {
        return "http://localhost:" + s3Port;
    }

    public String postgresJdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgresPort + "/" + postgresDatabase;
    }

    public String serviceUrl(PlatformService service) {
        return "http://localhost:" + service.port(this);
    }

    /** Builds a {@link StackConfig}; unset values keep their defaults. */
    public static final class Builder {
        private final Path repoRoot;
        private Path dataDir;
        private int kafkaPort = DEFAULT_KAFKA_PORT;
        private int kafkaControllerPort = DEFAULT_KAFKA_CONTROLLER_PORT;
        private int s3Port = DEFAULT_S3_PORT;
        private int postgresPort = DEFAULT_POSTGRES_PORT;
        private int registryPort = DEFAULT_REGISTRY_PORT;
        private int datasetPort = DEFAULT_DATASET_PORT;
        private int trainerPort = DEFAULT_TRAINER_PORT;
        private int evaluatorPort = DEFAULT_EVALUATOR_PORT;
        private String s3AccessKey = DEFAULT_S3_ACCESS_KEY;
        private String s3SecretKey = DEFAULT_S3_SECRET_KEY;
        private String postgresDatabase = DEFAULT_POSTGRES_DATABASE;
        private String postgresUser = DEFAULT_POSTGRES_USER;
        private String postgresPassword = DEFAULT_POSTGRES_PASSWORD;
        private String serviceHeap = DEFAULT_SERVICE_HEAP;

        private Builder(Path repoRoot) {
            this.repoRoot = repoRoot;
        }

        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder kafkaPort(int v) { kafkaPort = v; return this; }
        public Builder kafkaControllerPort(int v) { kafkaControllerPort = v; return this; }
        public Builder s3Port(int v) { s3Port = v; return this; }
        public Builder postgresPort(int v) { postgresPort = v; return this; }
        public Builder registryPort(int v) { registryPort = v; return this; }
        public Builder datasetPort(int v) { datasetPort = v; return this; }
        public Builder trainerPort(int v) { trainerPort = v; return this; }
        public Builder evaluatorPort(int v) { evaluatorPort = v; return this; }
        public Builder s3AccessKey(String v) { s3AccessKey = v; return this; }
        public Builder s3SecretKey(String v) { s3SecretKey = v; return this; }
        public Builder postgresDatabase(String v) { postgresDatabase = v; return this; }
        public Builder postgresUser(String v) { postgresUser = v; return this; }
        public Builder postgresPassword(String v) { postgresPassword = v; return this; }
        public Builder serviceHeap(String v) { serviceHeap = v; return this; }

        public StackConfig build() {
            Path data = dataDir != null ? dataDir : repoRoot == null ? null : repoRoot.resolve(".stack");
            return new StackConfig(repoRoot, data, kafkaPort, kafkaControllerPort, s3Port, postgresPort,
                    registryPort, datasetPort, trainerPort, evaluatorPort, s3AccessKey, s3SecretKey,
                    postgresDatabase, postgresUser, postgresPassword, serviceHeap);
        }
    }
}
