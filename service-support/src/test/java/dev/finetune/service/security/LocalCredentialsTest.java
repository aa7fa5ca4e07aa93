package dev.finetune.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalCredentialsTest {

    private static final Optional<String> NONE = Optional.empty();

    @Test
    void builtInPasswordsAreFineForServersOnThisMachine() {
        assertThat(LocalCredentials.problems(Optional.of("http://localhost:19000"),
                Optional.of(LocalCredentials.STORAGE_SECRET), Optional.of("jdbc:postgresql://127.0.0.1:15432/registry"),
                Optional.of(LocalCredentials.DATABASE_PASSWORD))).isEmpty();
    }

    @Test
    void builtInPasswordsForServersElsewhereAreRefusedNamingTheVariable() {
        assertThat(LocalCredentials.problems(Optional.of("http://minio:9000"),
                Optional.of(LocalCredentials.STORAGE_SECRET), Optional.of("jdbc:postgresql://postgres:5432/registry"),
                Optional.of(LocalCredentials.DATABASE_PASSWORD))).containsExactly(
                "finetune.storage.secret-key: the built-in secret is refused for storage at http://minio:9000; "
                        + "set FINETUNE_STORAGE_SECRET_KEY",
                "quarkus.datasource.password: the built-in password is refused for the database at "
                        + "jdbc:postgresql://postgres:5432/registry; set QUARKUS_DATASOURCE_PASSWORD");
    }

    @Test
    void ownPasswordsAreFineAnywhere() {
        assertThat(LocalCredentials.problems(Optional.of("https://s3.example.com"), Optional.of("a-real-secret"),
                Optional.of("jdbc:postgresql://db.example.com/registry"), Optional.of("another"))).isEmpty();
        assertThat(LocalCredentials.problems(NONE, NONE, NONE, NONE)).isEmpty();
    }
}
