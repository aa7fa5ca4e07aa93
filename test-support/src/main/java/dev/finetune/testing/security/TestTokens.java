package dev.finetune.testing.security;

import dev.finetune.contracts.security.Roles;
import dev.finetune.stack.security.SigningKeys;
import dev.finetune.stack.security.TokenIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Bearer tokens for tests, signed by a key pair made once per JVM in a temporary folder; {@code RealServersResource}
 * points the service under test at its public key. Production code never sees these keys.
 */
public final class TestTokens {

    private static SigningKeys keys;

    private TestTokens() {
    }

    /** The signing keys of this JVM's tests. */
    public static synchronized SigningKeys keys() {
        if (keys == null) {
            try {
                keys = SigningKeys.inFolder(Files.createTempDirectory("finetune-test-keys-"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return keys;
    }

    /** {@code mp.jwt.verify.publickey.location} for a service under test. */
    public static String publicKeyLocation() {
        return publicKeyLocation(keys().publicKeyFile());
    }

    public static String publicKeyLocation(Path file) {
        return "file:" + file.toAbsolutePath();
    }

    /** A valid token of {@code role} for the user {@code test-<role>}, for an hour. */
    public static String token(String role) {
        return new TokenIssuer(keys()).issue("test-" + role, role, Duration.ofHours(1));
    }

    /** {@code Bearer <token>} of {@code role}. */
    public static String bearer(String role) {
        return "Bearer " + token(role);
    }

    /** A token that may do everything, for tests about something other than permissions. */
    public static String admin() {
        return token(Roles.ADMIN);
    }
}
