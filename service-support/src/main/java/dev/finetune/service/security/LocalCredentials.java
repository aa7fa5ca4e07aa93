package dev.finetune.service.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/**
 * The passwords written in the services' {@code application.properties} are for servers on this machine (the local
 * stack, tests) and nowhere else: a service whose object storage or database is elsewhere refuses to start while it
 * still uses them, naming the setting and the variable that replaces it. Nothing is stored or sent before.
 */
@ApplicationScoped
public class LocalCredentials {

    /** The built-in object storage secret ({@code finetune.storage.secret-key}). */
    public static final String STORAGE_SECRET = "finetune-local-secret";
    /** The built-in registry database password ({@code quarkus.datasource.password}). */
    public static final String DATABASE_PASSWORD = "registry-local-password";
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    void onStart(@Observes StartupEvent start, Config config) {
        List<String> problems = problems(setting(config, "finetune.storage.endpoint"),
                setting(config, "finetune.storage.secret-key"), setting(config, "quarkus.datasource.jdbc.url"),
                setting(config, "quarkus.datasource.password"));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("refusing to start with the local stack's built-in passwords for "
                    + "servers elsewhere: " + String.join("; ", problems));
        }
    }

    /** Every built-in password used for a server that is not on this machine. */
    static List<String> problems(Optional<String> storageEndpoint, Optional<String> storageSecret,
                                 Optional<String> jdbcUrl, Optional<String> databasePassword) {
        List<String> problems = new ArrayList<>();
        if (storageSecret.filter(STORAGE_SECRET::equals).isPresent() && storageEndpoint.isPresent()
                && !local(storageEndpoint.get())) {
            problems.add("finetune.storage.secret-key: the built-in secret is refused for storage at "
                    + storageEndpoint.get() + "; set FINETUNE_STORAGE_SECRET_KEY");
        }
        if (databasePassword.filter(DATABASE_PASSWORD::equals).isPresent() && jdbcUrl.isPresent()
                && !local(jdbcUrl.get().replaceFirst("^jdbc:", ""))) {
            problems.add("quarkus.datasource.password: the built-in password is refused for the database at "
                    + jdbcUrl.get() + "; set QUARKUS_DATASOURCE_PASSWORD");
        }
        return problems;
    }

    private static boolean local(String url) {
        try {
            String host = URI.create(url).getHost();
            return host != null && LOCAL_HOSTS.contains(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Optional<String> setting(Config config, String name) {
        return config.getOptionalValue(name, String.class);
    }
}
