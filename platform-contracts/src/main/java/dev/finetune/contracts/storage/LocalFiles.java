package dev.finetune.contracts.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Local scratch folders that hold artifacts on their way to or from object storage. */
public final class LocalFiles {

    private LocalFiles() {
    }

    private static final System.Logger LOG = System.getLogger(LocalFiles.class.getName());

    /** Deletes a scratch folder, logging instead of failing when it cannot: the work it held is done. */
    public static void deleteQuietly(Path folder) {
        try {
            deleteRecursively(folder);
        } catch (UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not clean " + folder + ": " + e.getMessage());
        }
    }

    /** Deletes a folder and everything in it; a missing folder is fine. */
    public static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + folder, e);
        }
    }
}
