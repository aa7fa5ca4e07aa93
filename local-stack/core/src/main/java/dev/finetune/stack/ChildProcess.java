package dev.finetune.stack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A process started by the stack, its output appended to a log file. Stopping sends SIGTERM first, so a
 * server shuts down cleanly (Kafka flushes its logs, Quarkus closes its consumers), and kills it when that
 * takes longer than the grace period.
 */
public final class ChildProcess {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts a command with extra environment variables, appending its stdout and stderr to {@code log}. */
    public static ChildProcess start(String name, List<String> command, Map<String, String> env, Path workDir, Path log) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Files.createDirectories(workDir);
            Files.writeString(log, "---- " + Instant.now() + " starting " + name + ": " + String.join(" ", command)
                    + System.lineSeparator(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(withOwnSession(command))
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            builder.environment().putAll(env);
            return new ChildProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new StackException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs the command in a session of its own (Linux {@code setsid}, which execs in place, so the pid stays the
     * same): Ctrl-C in a terminal then reaches only the stack's supervisor, which stops the children in reverse
     * order, instead of every process at once.
     */
    private static List<String> withOwnSession(List<String> command) {
        for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(candidate))) {
                List<String> wrapped = new ArrayList<>();
                wrapped.add(candidate);
                wrapped.addAll(command);
                return wrapped;
            }
        }
        return command;
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /** The {@code java} launcher of the running JVM, so children run on the same Java. */
    public static String javaExecutable() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return Files.isExecutable(java) ? java.toString() : "java";
    }

    public long pid() {
        return process.isAlive() ? process.pid() : -1;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    public Path log() {
        return log;
    }

    /** Fails with the log tail when the process has already ended; call while waiting for it to answer. */
    public void requireAlive() {
        if (!process.isAlive()) {
            throw new StackException(name + " exited with code " + process.exitValue() + " while starting; last lines of "
                    + log + ":" + System.lineSeparator() + tail(40));
        }
    }

    /** SIGTERM, then SIGKILL after the grace period; also ends the process's own children. */
    public void stop(Duration grace) {
        stop(process.toHandle(), grace);
    }

    /** Stops any process by its handle the same way: SIGTERM, wait, then SIGKILL; children too. */
    public static void stop(ProcessHandle handle, Duration grace) {
        if (!handle.isAlive()) {
            return;
        }
        List<ProcessHandle> children = new ArrayList<>(handle.descendants().toList());
        handle.destroy();
        try {
            handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported by the caller checking the port
            }
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    /** The last lines of the log file (at most 64 KB read). */
    public String tail(int lines) {
        return tail(log, lines);
    }

    public static String tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return "(no log at " + file + ")";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long start = Math.max(0, length - 65536);
            byte[] bytes = new byte[(int) (length - start)];
            raf.seek(start);
            raf.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).split("\\R");
            int from = Math.max(0, all.length - lines);
            return String.join(System.lineSeparator(), java.util.Arrays.copyOfRange(all, from, all.length));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
