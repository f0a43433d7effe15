package com.idynic.eventbus.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The embedded mode's identity: an RSA key pair for the bus's tokens, a bootstrap admin API key, an API key for
 * the co-deployed example app's own service and the database passwords, generated on the first run into the
 * data directory and reused after (so tokens and keys survive restarts). Secrets are created owner-only (0600)
 * so other local users cannot read them. For development only: production configures its own key pair, admin
 * key and database credentials, and gives each co-deployed app a subscriber key of its own.
 */
final class Identity {
    /**
     * The co-deployed example's service, named after the app: the owner its subscription has always had
     * ({@code eventbus.client.source}), so an existing data directory keeps its subscription.
     */
    static final String CLIENT_SERVICE = "profile-service";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private Identity() {}

    /**
     * @return the EVENTBUS_* settings naming the key files, the admin key, the co-deployed apps' key (for the bus
     *     to bootstrap their service, and for the apps to call the bus with) and the key for secrets at rest
     */
    static Map<String, String> ensure(Path data) throws IOException {
        Path dir = directory(data);
        Path publicKey = dir.resolve("jwt-public.pem");
        Path privateKey = dir.resolve("jwt-private.pem");
        Path adminKey = dir.resolve("admin.key");
        if (!Files.exists(publicKey) || !Files.exists(privateKey) || !Files.exists(adminKey)) {
            KeyPair pair = rsa();
            writeSecret(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            writeSecret(adminKey, newApiKey());
        } else {
            restrict(privateKey);
            restrict(adminKey);
        }
        String key = Files.readString(adminKey).strip();
        String clientKey = apiKey(dir.resolve("client.key"));
        return Map.of(
                "EVENTBUS_JWT_PUBLIC_KEY",
                publicKey.toUri().toString(),
                "EVENTBUS_JWT_PRIVATE_KEY",
                privateKey.toString(),
                "EVENTBUS_AUTH_ADMIN_KEY",
                key,
                "EVENTBUS_AUTH_CLIENT_KEY",
                clientKey,
                "EVENTBUS_AUTH_CLIENT_SERVICE",
                CLIENT_SERVICE,
                "EVENTBUS_CLIENT_API_KEY",
                clientKey,
                "EVENTBUS_SECRETS_KEY",
                secret(dir.resolve("secrets.key")));
    }

    /** @return {@code data/identity}, created owner-only when missing */
    static Path directory(Path data) throws IOException {
        Path dir = data.resolve("identity");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(data);
            if (posix()) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            } else {
                Files.createDirectory(dir);
            }
        }
        return dir;
    }

    /**
     * Reads a password kept in {@code file}, or generates one and writes it there (owner-only) on first use.
     *
     * @return 32 random bytes as base64url without padding (only {@code A-Z a-z 0-9 - _}, safe in SQL literals)
     */
    static String secret(Path file) throws IOException {
        return kept(file, Identity::newSecret);
    }

    /**
     * Reads the API key kept in {@code file}, or generates one and writes it there (owner-only) on first use.
     *
     * @return a key shaped like the bus's: {@code ebk_<16 hex>_<43 base64url>}
     */
    static String apiKey(Path file) throws IOException {
        return kept(file, Identity::newApiKey);
    }

    private static String kept(Path file, Supplier<String> generate) throws IOException {
        if (Files.exists(file)) {
            restrict(file);
            return Files.readString(file).strip();
        }
        String value = generate.get();
        writeSecret(file, value);
        return value;
    }

    /** @return 32 random bytes as base64url without padding */
    static String newSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * Writes {@code content} to {@code file} through a sibling that is created owner-only (0600) and then
     * moved over the target, so the secret is never readable by others, not even for a moment.
     */
    static void writeSecret(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        FileAttribute<?>[] attrs = posix()
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
                : new FileAttribute<?>[0];
        Files.write(Files.createFile(tmp, attrs), content.getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Takes group and world access away from a secret written by an older version. */
    private static void restrict(Path file) throws IOException {
        if (posix()
                && Files.exists(file)
                && !Files.getPosixFilePermissions(file).equals(OWNER_FILE)) {
            Files.setPosixFilePermissions(file, OWNER_FILE);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** Same shape as the bus's keys: {@code ebk_<16 hex>_<43 base64url>}. */
    private static String newApiKey() {
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        return "ebk_" + HexFormat.of().formatHex(id) + "_" + newSecret();
    }
}
