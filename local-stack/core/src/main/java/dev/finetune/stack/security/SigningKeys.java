package dev.finetune.stack.security;

import dev.finetune.stack.StackException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The key pair the local stack signs its bearer tokens with: an RSA-2048 pair in PEM files, made the first time
 * it is needed. The private key is readable by its owner only; services get the public key's path.
 */
public final class SigningKeys {

    public static final String PRIVATE_KEY_FILE = "jwt-private.pem";
    public static final String PUBLIC_KEY_FILE = "jwt-public.pem";

    private final Path folder;
    private final PrivateKey privateKey;

    private SigningKeys(Path folder, PrivateKey privateKey) {
        this.folder = folder;
        this.privateKey = privateKey;
    }

    /** The pair in {@code folder}, generated there when it is not. */
    public static synchronized SigningKeys inFolder(Path folder) {
        Path privateFile = folder.resolve(PRIVATE_KEY_FILE);
        try {
            if (!Files.isRegularFile(privateFile) || !Files.isRegularFile(folder.resolve(PUBLIC_KEY_FILE))) {
                generate(folder);
            }
            String pem = Files.readString(privateFile, StandardCharsets.US_ASCII);
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            return new SigningKeys(folder, KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)));
        } catch (IOException | GeneralSecurityException e) {
            throw new StackException("cannot read or make the token signing keys in " + folder + ": "
                    + e.getMessage(), e);
        }
    }

    /** The public key's file, for {@code mp.jwt.verify.publickey.location}. */
    public Path publicKeyFile() {
        return folder.resolve(PUBLIC_KEY_FILE).toAbsolutePath();
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    private static void generate(Path folder) throws IOException, GeneralSecurityException {
        Files.createDirectories(folder);
        ownerOnly(folder, "rwx------");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Path privateFile = folder.resolve(PRIVATE_KEY_FILE);
        Files.deleteIfExists(privateFile);
        Files.createFile(privateFile);
        ownerOnly(privateFile, "rw-------");
        Files.writeString(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(folder.resolve(PUBLIC_KEY_FILE), pem("PUBLIC KEY", pair.getPublic().getEncoded()),
                StandardCharsets.US_ASCII);
    }

    private static void ownerOnly(Path path, String permissions) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
