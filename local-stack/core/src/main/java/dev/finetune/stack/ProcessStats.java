package dev.finetune.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of a process, read from {@code /proc/<pid>/status} where there is one (Linux). */
public final class ProcessStats {

    private ProcessStats() {
    }

    /** e.g. "412 MB", or "?" when unknown. */
    public static String rss(long pid) {
        long kb = rssKilobytes(pid);
        return kb < 0 ? "?" : (kb / 1024) + " MB";
    }

    public static long rssKilobytes(long pid) {
        if (pid <= 0) {
            return -1;
        }
        Path status = Path.of("/proc", String.valueOf(pid), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
