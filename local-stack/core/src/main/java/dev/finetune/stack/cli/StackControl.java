package dev.finetune.stack.cli;

import dev.finetune.stack.ChildProcess;
import dev.finetune.stack.PlatformService;
import dev.finetune.stack.StackConfig;
import dev.finetune.stack.StackException;
import dev.finetune.stack.StackState;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds, starts (as a background supervisor JVM) and stops a local stack through its {@code stack.json}. */
final class StackControl {

    private StackControl() {
    }

    /** The recorded stack when its supervisor is alive and it is starting or up. */
    static Optional<StackState> running(StackConfig config) {
        return StackState.read(config.stateFile())
                .filter(StackState::supervisorAlive)
                .filter(s -> StackState.UP.equals(s.state()) || StackState.STARTING.equals(s.state()));
    }

    /**
     * Starts {@code finetune up --foreground} as a detached JVM (its own session, so Ctrl-C in this terminal
     * does not reach it) and waits until stack.json says UP, or FAILED, or the JVM dies.
     */
    static StackState startDetached(StackConfig config, boolean serversOnly, PrintStream out, Duration timeout) {
        // ChildProcess gives it a session of its own, so Ctrl-C in this terminal does not reach it.
        List<String> command = new ArrayList<>(List.of(ChildProcess.javaExecutable(), "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", absoluteClasspath(), FinetuneCli.class.getName(), "up", "--foreground"));
        command.addAll(StackOptions.toArguments(config));
        if (serversOnly) {
            command.add("--servers-only");
        }
        Path log = config.logsDir().resolve("stack.log");
        ChildProcess supervisor = ChildProcess.start("stack supervisor", command,
                java.util.Map.of(StackOptions.S3_SECRET_ENV, config.s3SecretKey()),
                config.dataDir(), log);
        out.println("starting the stack in the background (pid " + supervisor.pid() + ", log " + log + ")");
        long deadline = System.nanoTime() + timeout.toNanos();
        int reported = 0;
        while (System.nanoTime() < deadline) {
            Optional<StackState> state = StackState.read(config.stateFile())
                    .filter(s -> s.supervisorPid() == supervisor.pid());
            if (state.isPresent()) {
                List<StackState.Component> components = state.get().components();
                for (; reported < components.size(); reported++) {
                    StackState.Component c = components.get(reported);
                    out.printf("  %-18s up on port %-5d in %5.1f s%n", c.name(), c.port(),
                            c.startSeconds() == null ? 0 : c.startSeconds());
                }
                if (StackState.UP.equals(state.get().state())) {
                    return state.get();
                }
                if (StackState.FAILED.equals(state.get().state())) {
                    awaitExit(supervisor, Duration.ofSeconds(60));
                    throw new StackException("the stack did not start: " + state.get().message());
                }
            }
            if (!supervisor.isAlive()) {
                throw new StackException("the stack supervisor exited with code " + supervisor.exitCode().orElse(-1)
                        + "; last lines of " + log + ":" + System.lineSeparator() + supervisor.tail(30));
            }
            sleep(Duration.ofMillis(300));
        }
        supervisor.stop(Duration.ofSeconds(60));
        throw new StackException("the stack did not start within " + timeout.toSeconds() + " s; see " + log);
    }

    /** Asks the supervisor to stop everything (SIGTERM) and waits; stops leftovers when it is gone. */
    static void stop(StackConfig config, StackState state, PrintStream out, Duration timeout) {
        Optional<ProcessHandle> supervisor = ProcessHandle.of(state.supervisorPid()).filter(ProcessHandle::isAlive);
        if (supervisor.isPresent()) {
            out.println("stopping the stack (supervisor pid " + state.supervisorPid() + ")...");
            supervisor.get().destroy();
            try {
                supervisor.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                out.println("the supervisor did not stop within " + timeout.toSeconds() + " s: killing it");
                supervisor.get().destroyForcibly();
            }
        }
        // Whatever the supervisor could not stop (it was killed, or crashed) is stopped here.
        List<StackState.Component> reverse = new ArrayList<>(state.components());
        java.util.Collections.reverse(reverse);
        boolean leftovers = false;
        for (StackState.Component c : reverse) {
            Optional<ProcessHandle> p = ProcessHandle.of(c.pid()).filter(ProcessHandle::isAlive);
            if (c.pid() > 0 && p.isPresent()) {
                leftovers = true;
                out.println("  stopping leftover " + c.name() + " (pid " + c.pid() + ")");
                ChildProcess.stop(p.get(), Duration.ofSeconds(20));
            }
        }
        StackState now = StackState.read(config.stateFile()).orElse(state);
        if (leftovers || !StackState.STOPPED.equals(now.state())) {
            now.with(StackState.STOPPED, null, now.components()).write(config.stateFile());
        }
    }

    private static void awaitExit(ChildProcess p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (p.isAlive() && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(200));
        }
    }

    /** This JVM's classpath with absolute entries: the supervisor runs in the data folder. */
    static String absoluteClasspath() {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!e.isBlank()) {
                entries.add(Path.of(e).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    static void printUrls(StackConfig config, StackState state, PrintStream out) {
        out.println("stack is " + state.state() + " (data " + state.dataDir() + ", supervisor pid "
                + state.supervisorPid() + ")");
        for (StackState.Component c : state.components()) {
            out.printf("  %-18s %s%n", c.name(), c.address());
        }
        out.println("stop it with: finetune down");
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }

    /** The configuration with the ports a running stack actually uses, when one is recorded. */
    static StackConfig effective(StackConfig config, StackState state) {
        StackConfig.Builder b = config.toBuilder();
        state.component("kafka").ifPresent(c -> b.kafkaPort(c.port()));
        state.component("s3").ifPresent(c -> b.s3Port(c.port()));
        state.component("postgres").ifPresent(c -> b.postgresPort(c.port()));
        state.component(PlatformService.REGISTRY.moduleName()).ifPresent(c -> b.registryPort(c.port()));
        state.component(PlatformService.DATASET.moduleName()).ifPresent(c -> b.datasetPort(c.port()));
        state.component(PlatformService.TRAINER.moduleName()).ifPresent(c -> b.trainerPort(c.port()));
        state.component(PlatformService.EVALUATOR.moduleName()).ifPresent(c -> b.evaluatorPort(c.port()));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            return config; // recorded ports clash with an option given now: trust the options
        }
    }
}
