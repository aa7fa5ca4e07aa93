package dev.finetune.stack;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.finetune.contracts.events.EventCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@code <data>/stack.json} says about a stack: the supervising JVM, its state, and each server's and
 * service's port, pid and address, so that other commands (status, down, submit, demo) find it.
 *
 * @param supervisorPid the JVM that started the stack and stops it on SIGTERM
 * @param state         STARTING, UP, STOPPING, STOPPED or FAILED
 * @param message       the reason when FAILED
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StackState(
        long supervisorPid,
        String state,
        Instant updatedAt,
        String repoRoot,
        String dataDir,
        String message,
        List<Component> components) {

    public static final String STARTING = "STARTING";
    public static final String UP = "UP";
    public static final String STOPPING = "STOPPING";
    public static final String STOPPED = "STOPPED";
    public static final String FAILED = "FAILED";

    /**
     * @param kind          server or service
     * @param healthUrl     for services, their readiness URL
     * @param startSeconds  how long it took to start and answer, when it did
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Component(String name, String kind, int port, long pid, String address, String healthUrl,
                            String log, Double startSeconds) {
    }

    private static final ObjectMapper MAPPER = EventCodec.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);

    public Optional<Component> component(String name) {
        return components.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Whether the supervising JVM is still alive. */
    public boolean supervisorAlive() {
        return ProcessHandle.of(supervisorPid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Writes atomically, so a reader never sees half a file. */
    public void write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            MAPPER.writeValue(tmp.toFile(), this);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StackException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static Optional<StackState> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readValue(file.toFile(), StackState.class));
        } catch (IOException e) {
            throw new StackException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public StackState with(String newState, String newMessage, List<Component> newComponents) {
        return new StackState(supervisorPid, newState, Instant.now(), repoRoot, dataDir, newMessage, newComponents);
    }

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (IOException e) {
            throw new StackException("cannot serialize the stack state", e);
        }
    }
}
