package dev.finetune.service.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The platform build a service runs: the Maven version and the git commit it was built from, as the build wrote
 * them into {@code git.properties} next to this class ({@code 0.1.0-SNAPSHOT+1a2b3c4}, with {@code .dirty} when
 * the working tree had uncommitted changes). Recorded in each model's lineage, so a model can be traced to the
 * code that trained it.
 */
public final class CodeVersion {

    /** What a build without git (a source archive) records. */
    public static final String UNKNOWN_COMMIT = "unknown-commit";

    private static final String CURRENT = read();

    private CodeVersion() {
    }

    public static String current() {
        return CURRENT;
    }

    private static String read() {
        Properties git = new Properties();
        try (InputStream in = CodeVersion.class.getResourceAsStream("git.properties")) {
            if (in != null) {
                git.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the build's git.properties", e);
        }
        return of(git.getProperty("git.build.version", "unknown"), git.getProperty("git.commit.id.abbrev"),
                Boolean.parseBoolean(git.getProperty("git.dirty")));
    }

    static String of(String buildVersion, String commit, boolean dirty) {
        String c = commit == null || commit.isBlank() ? UNKNOWN_COMMIT : commit;
        return buildVersion + "+" + c + (dirty ? ".dirty" : "");
    }
}
