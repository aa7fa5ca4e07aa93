package dev.finetune.lm.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a run keeps its resumable training state, so that a crashed or redelivered job continues from its last
 * checkpoint instead of step 0: a local folder here, object storage in the trainer service.
 */
public interface CheckpointStore {

    /** The latest saved state as a local folder, or empty when the run has none yet. */
    Optional<Path> latest();

    /** Keeps the state the loop wrote into {@code folder} after {@code step} steps as the latest. */
    void save(int step, Path folder);

    /** No checkpoints: every run starts at step 0. */
    static CheckpointStore none() {
        return new CheckpointStore() {
            @Override
            public Optional<Path> latest() {
                return Optional.empty();
            }

            @Override
            public void save(int step, Path folder) {}
        };
    }

    /**
     * Checkpoints as sub-folders {@code step-00000123} of {@code dir}; only the newest is kept. A folder is moved in
     * whole, so a crash mid-save leaves the previous checkpoint as the latest.
     */
    static CheckpointStore inDirectory(Path dir) {
        return new CheckpointStore() {
            @Override
            public Optional<Path> latest() {
                if (!Files.isDirectory(dir)) {
                    return Optional.empty();
                }
                try (Stream<Path> entries = Files.list(dir)) {
                    return entries.filter(path -> path.getFileName().toString().matches("step-\\d{8}"))
                            .max(Comparator.comparing(path -> path.getFileName().toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void save(int step, Path folder) {
                try {
                    Files.createDirectories(dir);
                    Optional<Path> previous = latest();
                    Path target = dir.resolve(String.format("step-%08d", step));
                    Files.move(folder, target, StandardCopyOption.ATOMIC_MOVE);
                    previous.filter(path -> !path.equals(target)).ifPresent(TrainingState::delete);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not keep the checkpoint of step " + step + " in " + dir, e);
                }
            }
        };
    }
}
