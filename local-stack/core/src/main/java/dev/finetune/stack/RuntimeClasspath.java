package dev.finetune.stack;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The classpath of a server that runs as a child JVM (the Kafka broker, s3proxy). It is resolved by Maven when
 * local-stack is built and stored as a resource, {@code META-INF/finetune-stack/<name>.classpath}, so those
 * servers' jars never mix with the launcher's or each other's (s3proxy and Kafka want different Jackson).
 */
public final class RuntimeClasspath {

    public static final String KAFKA = "kafka";
    public static final String S3PROXY = "s3proxy";

    private RuntimeClasspath() {
    }

    /** The classpath string for {@code java -cp}, each entry checked to exist. */
    public static String of(String name) {
        String resource = "META-INF/finetune-stack/" + name + ".classpath";
        String text;
        try (InputStream in = RuntimeClasspath.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new StackException("resource " + resource + " is missing: build local-stack with "
                        + "`mvn -f local-stack/pom.xml install`");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new StackException("cannot read " + resource, e);
        }
        List<String> missing = new ArrayList<>();
        for (String entry : text.split(File.pathSeparator)) {
            if (!entry.isBlank() && !Files.exists(Path.of(entry))) {
                missing.add(entry);
            }
        }
        if (!missing.isEmpty()) {
            throw new StackException("the " + name + " classpath names " + missing.size() + " jar(s) that are not in "
                    + "the local Maven repository (first: " + missing.get(0) + "): rebuild local-stack with "
                    + "`mvn -f local-stack/pom.xml install`");
        }
        return text;
    }
}
