package dev.finetune.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Quarkus service run as its own JVM from {@code quarkus-app/quarkus-run.jar}, configured by environment
 * overrides, its output in a log file. start() returns once {@code /q/health/ready} says UP.
 */
public final class ServiceProcess implements StackComponent {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final int port;
    private final Map<String, String> environment;
    private final Path workDir;
    private final Path logFile;
    private final String heap;
    private ChildProcess process;

    public ServiceProcess(String name, Path jar, int port, Map<String, String> environment, Path workDir, Path logFile,
                          String heap) {
        this.name = name;
        this.jar = jar.toAbsolutePath();
        this.port = port;
        this.environment = Map.copyOf(environment);
        this.workDir = workDir.toAbsolutePath();
        this.logFile = logFile.toAbsolutePath();
        this.heap = heap;
    }

    /** The service as the local stack runs it. */
    public static ServiceProcess of(PlatformService service, StackConfig config) {
        return new ServiceProcess(service.moduleName(), service.jar(config), service.port(config),
                service.environment(config), config.dataDir().resolve("services").resolve(service.moduleName()),
                config.logsDir().resolve(service.moduleName() + ".log"), config.serviceHeap());
    }

    /** The java command line, without the environment. */
    public List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(ChildProcess.javaExecutable());
        // No model hub is reachable: DJL must never try to download an engine or a model.
        command.add("-Dai.djl.offline=true");
        command.add("-Xmx" + heap);
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    public ServiceProcess start(Duration timeout) {
        if (process != null && process.isAlive()) {
            return this;
        }
        if (!Files.isRegularFile(jar)) {
            throw new StackException(name + " is not built: " + jar + " is missing (build it with `mvn -q "
                    + "-DskipTests install` in the repository root)");
        }
        Ports.requireFree(port, name);
        process = ChildProcess.start(name, command(), environment, workDir, logFile);
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            process.requireAlive();
            last = health();
            if (last.equals("UP")) {
                return this;
            }
            Ports.sleep(Duration.ofMillis(500));
        }
        String tail = process.tail(60);
        close();
        throw new StackException(name + " was not ready within " + timeout.toSeconds() + " s (last health: " + last
                + "); last lines of " + logFile + ":" + System.lineSeparator() + tail);
    }

    /** "UP", "DOWN" (with the reason) or "no answer": what {@code /q/health/ready} says now. */
    public String health() {
        return health(healthUrl());
    }

    public static String health(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            String body = r.body().replaceAll("\\s+", "");
            if (r.statusCode() == 200 && body.contains("\"status\":\"UP\"")) {
                return "UP";
            }
            return "DOWN (HTTP " + r.statusCode() + ")";
        } catch (java.io.IOException e) {
            return "no answer";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no answer";
        }
    }

    public String healthUrl() {
        return "http://localhost:" + port + "/q/health/ready";
    }

    public Path logFile() {
        return logFile;
    }

    @Override
    public String name() {
        return name;
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
        return "http://localhost:" + port;
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop(Duration.ofSeconds(20));
            Ports.awaitClosed(port, Duration.ofSeconds(5));
        }
    }
}
