package dev.finetune.stack;

import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.stack.security.SigningKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The whole platform on one machine: Kafka, the S3 server and PostgreSQL, then registry-, dataset-, trainer-
 * and evaluator-service as separate JVMs, everything under one data folder. Closing stops them in reverse
 * order; {@link #installShutdownHook()} does the same on Ctrl-C or SIGTERM. The progress is recorded in
 * {@code <data>/stack.json}.
 */
public final class LocalStack implements AutoCloseable {

    private final StackConfig config;
    private final boolean withServices;
    private final List<StackComponent> started = new ArrayList<>();
    private final Map<String, Double> startSeconds = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private Duration serverTimeout = Duration.ofSeconds(90);
    private Duration serviceTimeout = Duration.ofSeconds(240);
    private KafkaBroker kafka;
    private S3Server s3;
    private PostgresServer postgres;
    private StackState state;

    /**
     * @param withServices false starts only the three servers (for running services from an IDE or quarkus:dev)
     */
    public LocalStack(StackConfig config, boolean withServices) {
        this.config = config;
        this.withServices = withServices;
    }

    public LocalStack serviceTimeout(Duration timeout) {
        this.serviceTimeout = timeout;
        return this;
    }

    /** Checks that the service jars exist: the fast failure before anything starts. */
    public static List<String> missingServiceJars(StackConfig config) {
        List<String> missing = new ArrayList<>();
        for (PlatformService s : PlatformService.values()) {
            if (!java.nio.file.Files.isRegularFile(s.jar(config))) {
                missing.add(s.jar(config).toString());
            }
        }
        return missing;
    }

    /** Fails with a message that says how to build them when any service's packaged jar is missing. */
    public static void requireServiceJars(StackConfig config) {
        List<String> missing = missingServiceJars(config);
        if (!missing.isEmpty()) {
            throw new StackException("the services are not built (missing " + missing.get(0)
                    + (missing.size() > 1 ? " and " + (missing.size() - 1) + " more" : "")
                    + "): `./finetune up` builds them, or run `mvn -q -DskipTests install` in " + config.repoRoot());
        }
    }

    /** Starts everything in order; on a failure stops what had started and rethrows. */
    public LocalStack start() {
        if (withServices) {
            requireServiceJars(config);
        }
        state = new StackState(ProcessHandle.current().pid(), StackState.STARTING, Instant.now(),
                config.repoRoot().toString(), config.dataDir().toString(), null, List.of());
        record(StackState.STARTING, null);
        try {
            kafka = timed(new KafkaBroker(config.kafkaPort(), config.kafkaControllerPort(),
                    config.dataDir().resolve("kafka"), config.logsDir().resolve("kafka.log")),
                    k -> k.start(serverTimeout));
            s3 = timed(new S3Server(config.s3Port(), config.dataDir().resolve("s3"), config.logsDir().resolve("s3.log"),
                    config.s3AccessKey(), config.s3SecretKey()), s -> s.start(serverTimeout));
            postgres = timed(new PostgresServer(config.postgresPort(), config.dataDir().resolve("postgres"),
                    config.logsDir().resolve("postgres.log"), config.postgresDatabase(), config.postgresUser(),
                    config.postgresPassword()), p -> p.start(serverTimeout));
            if (withServices) {
                SigningKeys.inFolder(config.securityDir());  // the services verify tokens with its public key
                for (PlatformService service : PlatformService.values()) {
                    timed(ServiceProcess.of(service, config), s -> s.start(serviceTimeout));
                }
            }
            record(StackState.UP, null);
            return this;
        } catch (RuntimeException e) {
            record(StackState.FAILED, e.getMessage());
            stopAll();
            record(StackState.FAILED, e.getMessage());
            throw e;
        }
    }

    private interface Starter<T> {
        void start(T component);
    }

    /**
     * Starts one component and tracks it. A component whose start fails part-way (a broker up but its topics
     * not created) is closed here, since it is not tracked yet; one that finishes starting after the stack was
     * closed (Ctrl-C during start-up) is closed too, and start-up stops.
     */
    private <T extends StackComponent> T timed(T component, Starter<T> starter) {
        long t0 = System.nanoTime();
        try {
            starter.start(component);
        } catch (RuntimeException e) {
            closeQuietly(component);
            throw e;
        }
        if (closed.get()) {
            closeQuietly(component);
            throw new StackException("the stack was stopped while " + component.name() + " was starting");
        }
        started.add(component);
        startSeconds.put(component.name(), (System.nanoTime() - t0) / 1e9);
        record(StackState.STARTING, null);
        return component;
    }

    private void record(String newState, String message) {
        List<StackState.Component> components = new ArrayList<>();
        for (StackComponent c : started) {
            String kind = c instanceof ServiceProcess ? "service" : "server";
            String health = c instanceof ServiceProcess sp ? sp.healthUrl() : null;
            String log = c instanceof ServiceProcess sp ? sp.logFile().toString()
                    : config.logsDir().resolve(c.name() + ".log").toString();
            components.add(new StackState.Component(c.name(), kind, c.port(), c.pid(), c.address(), health, log,
                    startSeconds.get(c.name())));
        }
        state = state.with(newState, message, components);
        state.write(config.stateFile());
    }

    /** Stops everything on Ctrl-C or SIGTERM too. */
    public LocalStack installShutdownHook() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "local-stack-shutdown"));
        return this;
    }

    private void stopAll() {
        List<StackComponent> reverse = new ArrayList<>(started);
        java.util.Collections.reverse(reverse);
        reverse.forEach(LocalStack::closeQuietly);
        started.clear();
    }

    private static void closeQuietly(StackComponent c) {
        try {
            c.close();
        } catch (RuntimeException e) {
            System.err.println("stopping " + c.name() + " failed: " + e.getMessage());
        }
    }

    /** Stops the services, then PostgreSQL, the S3 server and Kafka. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true) || state == null) {
            return;
        }
        if (!StackState.FAILED.equals(state.state())) {
            record(StackState.STOPPING, null);
        }
        stopAll();
        if (!StackState.FAILED.equals(state.state())) {
            record(StackState.STOPPED, null);
        }
    }

    public StackConfig config() {
        return config;
    }

    public StackState state() {
        return state;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public S3Server s3() {
        return s3;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public ObjectStore objectStore() {
        return s3.objectStore();
    }

    /** Start time of each component, in seconds, in start order. */
    public Map<String, Double> startSeconds() {
        return Map.copyOf(startSeconds);
    }
}
