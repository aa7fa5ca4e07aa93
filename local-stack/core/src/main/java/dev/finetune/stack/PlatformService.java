package dev.finetune.stack;

import dev.finetune.contracts.security.Roles;
import dev.finetune.stack.security.SigningKeys;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The four Quarkus services, in the order the stack starts them, and the environment each one gets. */
public enum PlatformService {

    REGISTRY("registry-service"),
    DATASET("dataset-service"),
    TRAINER("trainer-service"),
    EVALUATOR("evaluator-service");

    private final String moduleName;

    PlatformService(String moduleName) {
        this.moduleName = moduleName;
    }

    /** The Maven module and folder name, which is also the service's name in logs and stack.json. */
    public String moduleName() {
        return moduleName;
    }

    public int port(StackConfig c) {
        return switch (this) {
            case REGISTRY -> c.registryPort();
            case DATASET -> c.datasetPort();
            case TRAINER -> c.trainerPort();
            case EVALUATOR -> c.evaluatorPort();
        };
    }

    /** {@code <repo>/<service>/target/quarkus-app/quarkus-run.jar}. */
    public Path jar(StackConfig c) {
        return c.repoRoot().resolve(moduleName).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    /** Quarkus environment overrides that point the service at the stack's servers. */
    public Map<String, String> environment(StackConfig c) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port(c)));
        env.put("KAFKA_BOOTSTRAP_SERVERS", c.kafkaBootstrapServers());
        env.put("FINETUNE_STORAGE_ENDPOINT", c.s3Endpoint());
        env.put("FINETUNE_STORAGE_ACCESS_KEY", c.s3AccessKey());
        env.put("FINETUNE_STORAGE_SECRET_KEY", c.s3SecretKey());
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                "file:" + c.securityDir().resolve(SigningKeys.PUBLIC_KEY_FILE).toAbsolutePath());
        env.put("MP_JWT_VERIFY_ISSUER", Roles.LOCAL_ISSUER);
        switch (this) {
            case REGISTRY -> {
                env.put("QUARKUS_DATASOURCE_JDBC_URL", c.postgresJdbcUrl());
                env.put("QUARKUS_DATASOURCE_USERNAME", c.postgresUser());
                env.put("QUARKUS_DATASOURCE_PASSWORD", c.postgresPassword());
            }
            case TRAINER -> env.put("FINETUNE_TRAINER_WORK_DIR", c.dataDir().resolve("trainer").toString());
            case EVALUATOR -> env.put("FINETUNE_EVALUATOR_WORK_DIR", c.dataDir().resolve("evaluator").toString());
            default -> {
            }
        }
        return env;
    }
}
