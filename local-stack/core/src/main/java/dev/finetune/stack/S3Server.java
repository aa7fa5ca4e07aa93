package dev.finetune.stack;

import dev.finetune.contracts.storage.Buckets;
import dev.finetune.contracts.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * An S3-compatible server (s3proxy over the local file system) run as a child JVM: it stands in for MinIO's
 * server where there is no Docker, and checks request signatures (AWS v2 or v4) with the configured key and
 * secret, so a wrong secret is refused as MinIO would. After start it creates the platform's buckets with the
 * MinIO SDK.
 */
public final class S3Server implements StackComponent {

    private final int port;
    private final Path dataDir;
    private final Path logFile;
    private final String accessKey;
    private final String secretKey;
    private String heap = "256m";
    private List<String> buckets = Buckets.ALL;
    private ChildProcess process;

    /**
     * @param dataDir objects are stored as files under {@code dataDir/buckets}; s3proxy.conf is written here
     */
    public S3Server(int port, Path dataDir, Path logFile, String accessKey, String secretKey) {
        this.port = port;
        this.dataDir = dataDir.toAbsolutePath();
        this.logFile = logFile.toAbsolutePath();
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    public S3Server heap(String heap) {
        this.heap = heap;
        return this;
    }

    /** The buckets start() creates (default {@link Buckets#ALL}). */
    public S3Server buckets(List<String> buckets) {
        this.buckets = List.copyOf(buckets);
        return this;
    }

    /** Starts the server and returns once it answers signed requests and the buckets exist. */
    public S3Server start(Duration timeout) {
        if (process != null && process.isAlive()) {
            return this;
        }
        Ports.requireFree(port, "the S3 server");
        String classpath = RuntimeClasspath.of(RuntimeClasspath.S3PROXY);
        Path conf = writeConfiguration();
        List<String> command = List.of(ChildProcess.javaExecutable(), "-Xms32m", "-Xmx" + heap, "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true", "-cp", classpath,
                "org.gaul.s3proxy.Main", "--properties", conf.toString());
        process = ChildProcess.start("s3proxy", command, Map.of(), dataDir, logFile);
        awaitReady(timeout);
        return this;
    }

    private Path writeConfiguration() {
        Properties p = new Properties();
        p.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
        p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        p.setProperty("s3proxy.identity", accessKey);
        p.setProperty("s3proxy.credential", secretKey);
        p.setProperty("jclouds.provider", "filesystem-nio2");
        p.setProperty("jclouds.identity", accessKey);
        p.setProperty("jclouds.credential", secretKey);
        p.setProperty("jclouds.filesystem.basedir", dataDir.resolve("buckets").toString());
        try {
            Files.createDirectories(dataDir.resolve("buckets"));
            Path file = dataDir.resolve("s3proxy.conf");
            try (var out = Files.newBufferedWriter(file)) {
                p.store(out, "written by dev.finetune.stack.S3Server on every start");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write s3proxy.conf in " + dataDir, e);
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Ports.isListening(port)) {
            process.requireAlive();
            if (System.nanoTime() > deadline) {
                fail("the S3 server did not open port " + port + " within " + timeout.toSeconds() + " s");
            }
            Ports.sleep(Duration.ofMillis(100));
        }
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            process.requireAlive();
            try {
                objectStore().ensureBuckets(buckets);
                return;
            } catch (RuntimeException e) {
                last = e;
                Ports.sleep(Duration.ofMillis(200));
            }
        }
        fail("the S3 server did not answer within " + timeout.toSeconds() + " s ("
                + (last == null ? "" : last.getMessage()) + ")");
    }

    private void fail(String message) {
        String tail = process.tail(40);
        close();
        throw new StackException(message + "; last lines of " + logFile + ":" + System.lineSeparator() + tail);
    }

    /** A client of this server with its own credentials. */
    public ObjectStore objectStore() {
        return new ObjectStore(endpoint(), accessKey, secretKey);
    }

    public String endpoint() {
        return "http://localhost:" + port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    @Override
    public String address() {
        return endpoint();
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop(Duration.ofSeconds(10));
            Ports.awaitClosed(port, Duration.ofSeconds(5));
        }
    }
}
