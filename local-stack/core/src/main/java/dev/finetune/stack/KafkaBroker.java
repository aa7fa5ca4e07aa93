package dev.finetune.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker in KRaft mode (one node that is both broker and controller), run from Kafka's
 * own jars as a child JVM. Its storage is formatted once; the log directory survives restarts. After start it
 * creates the platform's topics ({@link PlatformTopics}).
 */
public final class KafkaBroker implements StackComponent {

    private final int port;
    private final int controllerPort;
    private final Path dataDir;
    private final Path logFile;
    private String heap = "512m";
    private boolean createTopics = true;
    private ChildProcess process;

    /**
     * @param port           the client (PLAINTEXT) listener port
     * @param controllerPort the KRaft controller listener port
     * @param dataDir        the broker's folder: server.properties and the log directory live here
     * @param logFile        where the broker's output goes
     */
    public KafkaBroker(int port, int controllerPort, Path dataDir, Path logFile) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.dataDir = dataDir.toAbsolutePath();
        this.logFile = logFile.toAbsolutePath();
    }

    /** Maximum heap of the broker JVM, e.g. {@code 512m}. */
    public KafkaBroker heap(String heap) {
        this.heap = heap;
        return this;
    }

    /** Whether start() creates the platform topics (default yes). */
    public KafkaBroker createTopics(boolean createTopics) {
        this.createTopics = createTopics;
        return this;
    }

    /** Starts the broker and returns once it answers a client and the platform topics exist. */
    public KafkaBroker start(Duration timeout) {
        if (process != null && process.isAlive()) {
            return this;
        }
        Ports.requireFree(port, "Kafka");
        Ports.requireFree(controllerPort, "the Kafka controller");
        String classpath = RuntimeClasspath.of(RuntimeClasspath.KAFKA);
        Path properties = writeServerProperties();
        formatStorageOnce(classpath, properties);
        List<String> command = new ArrayList<>(jvm(classpath));
        command.add("kafka.Kafka");
        command.add(properties.toString());
        process = ChildProcess.start("kafka", command, Map.of(), dataDir, logFile);
        awaitReady(timeout);
        if (createTopics) {
            try (Admin admin = admin()) {
                PlatformTopics.ensure(admin);
            }
        }
        return this;
    }

    private List<String> jvm(String classpath) {
        return List.of(ChildProcess.javaExecutable(), "-Xms64m", "-Xmx" + heap, "-XX:+UseG1GC",
                "-XX:MaxGCPauseMillis=20", "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients=warn",
                "-cp", classpath);
    }

    private Path writeServerProperties() {
        Path logs = dataDir.resolve("kraft-logs");
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", logs.toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("auto.create.topics.enable", "false");
        // One node: every internal topic with replication factor 1.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "10");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        // A consumer group forms at once instead of after 3 s: tests and the demo start consumers often.
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        try {
            Files.createDirectories(dataDir);
            Path file = dataDir.resolve("server.properties");
            try (var out = Files.newBufferedWriter(file)) {
                p.store(out, "written by dev.finetune.stack.KafkaBroker on every start");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write server.properties in " + dataDir, e);
        }
    }

    private void formatStorageOnce(String classpath, Path properties) {
        if (Files.exists(dataDir.resolve("kraft-logs").resolve("meta.properties"))) {
            return;
        }
        List<String> command = new ArrayList<>(jvm(classpath));
        command.set(2, "-Xmx256m");
        command.addAll(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", properties.toString()));
        ChildProcess format = ChildProcess.start("kafka storage format", command, Map.of(), dataDir, logFile);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (format.isAlive() && System.nanoTime() < deadline) {
                Ports.sleep(Duration.ofMillis(100));
            }
            if (format.isAlive()) {
                format.stop(Duration.ofSeconds(1));
                throw new StackException("formatting Kafka storage took over 60 s; see " + logFile);
            }
            if (format.exitCode().orElse(-1) != 0) {
                throw new StackException("formatting Kafka storage failed; last lines of " + logFile + ":"
                        + System.lineSeparator() + format.tail(30));
            }
        } finally {
            format.stop(Duration.ofSeconds(1));
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Ports.isListening(port)) {
            process.requireAlive();
            if (System.nanoTime() > deadline) {
                fail("Kafka did not open port " + port + " within " + timeout.toSeconds() + " s");
            }
            Ports.sleep(Duration.ofMillis(100));
        }
        Exception last = null;
        while (System.nanoTime() < deadline) {
            process.requireAlive();
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                admin.listTopics().names().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = e;
                Ports.sleep(Duration.ofMillis(200));
            }
        }
        fail("Kafka did not answer within " + timeout.toSeconds() + " s (" + (last == null ? "" : last.getMessage()) + ")");
    }

    private void fail(String message) {
        String tail = process.tail(40);
        close();
        throw new StackException(message + "; last lines of " + logFile + ":" + System.lineSeparator() + tail);
    }

    /** An Admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    @Override
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    @Override
    public String address() {
        return bootstrapServers();
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop(Duration.ofSeconds(30));
            Ports.awaitClosed(port, Duration.ofSeconds(5));
            Ports.awaitClosed(controllerPort, Duration.ofSeconds(5));
        }
    }
}
