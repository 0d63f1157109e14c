package io.wasmudf.pg;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/** SCRAM-SHA-256 verifier for the server password (RFC 5802 / RFC 7677): salt, iterations, keys. */
record ScramCredentials(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
    static final int DEFAULT_ITERATIONS = 4096;

    /** Derives the verifier from a clear-text password with a fresh random salt. */
    static ScramCredentials fromPassword(String password, SecureRandom random) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return fromPassword(password, salt, DEFAULT_ITERATIONS);
    }

    static ScramCredentials fromPassword(String password, byte[] salt, int iterations) {
        try {
            // PBKDF2 with HMAC-SHA-256 and a 32-byte output is exactly SCRAM's Hi() function
            SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] salted = f.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
            byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
            byte[] storedKey = sha256(clientKey);
            byte[] serverKey = hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
            return new ScramCredentials(salt, iterations, storedKey, serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SCRAM-SHA-256 needs PBKDF2WithHmacSHA256 and HmacSHA256", e);
        }
    }

    /** PostgreSQL's stored form: {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>} (Base64). */
    String toVerifier() {
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        return "SCRAM-SHA-256$" + iterations + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey) + ":"
                + b64.encodeToString(serverKey);
    }

    /** Reads {@link #toVerifier()}'s form; null when {@code text} is not a SCRAM-SHA-256 verifier. */
    static ScramCredentials parseVerifier(String text) {
        java.util.regex.Matcher m = VERIFIER.matcher(text == null ? "" : text);
        if (!m.matches()) {
            return null;
        }
        try {
            java.util.Base64.Decoder b64 = java.util.Base64.getDecoder();
            int iterations = Integer.parseInt(m.group(1));
            byte[] storedKey = b64.decode(m.group(3));
            byte[] serverKey = b64.decode(m.group(4));
            if (iterations < 1 || storedKey.length != 32 || serverKey.length != 32) {
                return null;
            }
            return new ScramCredentials(b64.decode(m.group(2)), iterations, storedKey, serverKey);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static final java.util.regex.Pattern VERIFIER = java.util.regex.Pattern.compile(
            "SCRAM-SHA-256\\$(\\d{1,9}):([A-Za-z0-9+/=]+)\\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)");

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
