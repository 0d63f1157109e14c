package io.wasmudf.pg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/** The server side of one SCRAM-SHA-256 authentication exchange over SASL messages. */
final class ScramExchange {
    static final String MECHANISM = "SCRAM-SHA-256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ScramCredentials credentials;
    private String clientFirstBare;
    private String gs2Header;
    private String serverFirst;
    private String nonce;

    private final java.util.function.Supplier<String> serverNonce;

    /** The SCRAM username attribute is ignored (the startup packet's user counts), as in PostgreSQL. */
    ScramExchange(ScramCredentials credentials) {
        this(credentials, ScramExchange::randomNonce);
    }

    /** With a fixed server nonce, for checking against the RFC 7677 test vector. */
    ScramExchange(ScramCredentials credentials, java.util.function.Supplier<String> serverNonce) {
        this.credentials = credentials;
        this.serverNonce = serverNonce;
    }

    private static String randomNonce() {
        byte[] r = new byte[18];
        RANDOM.nextBytes(r);
        return Base64.getEncoder().encodeToString(r);
    }

    /** Runs the exchange; false when the client failed to prove the password. */
    boolean run(MessageReader in, MessageWriter out) throws IOException {
        byte[] mechanisms = (MECHANISM + "\0\0").getBytes(StandardCharsets.US_ASCII);
        out.authentication(10, mechanisms);
        out.flush();
        MessageBody first = in.read();
        if (first.type != 'p') {
            throw new ProtocolException("expected SASL response, got message type '" + first.type + "'");
        }
        String mechanism = first.cstring();
        int len = first.int32();
        if (!mechanism.equals(MECHANISM)) {
            return false;
        }
        if (len < 0) {
            throw new ProtocolException("SCRAM-SHA-256 needs an initial client response");
        }
        String clientFirst = new String(first.bytes(len), StandardCharsets.UTF_8);
        first.end();
        String reply = serverFirst(clientFirst);
        if (reply == null) {
            return false;
        }
        out.authentication(11, reply.getBytes(StandardCharsets.UTF_8));
        out.flush();
        MessageBody fin = in.read();
        if (fin.type != 'p') {
            throw new ProtocolException("expected SASL response, got message type '" + fin.type + "'");
        }
        String clientFinal = new String(fin.bytes(fin.remaining()), StandardCharsets.UTF_8);
        String serverFinal = serverFinal(clientFinal);
        if (serverFinal == null) {
            return false;
        }
        out.authentication(12, serverFinal.getBytes(StandardCharsets.UTF_8));
        return true;
    }

    /** Answers client-first-message; null if it is malformed or asks for channel binding. */
    String serverFirst(String clientFirst) {
        // gs2-header: "n,," (no channel binding) or "y,," (client could, server did not offer); "p=" is refused
        if (!(clientFirst.startsWith("n,") || clientFirst.startsWith("y,"))) {
            return null;
        }
        int second = clientFirst.indexOf(',', 2);
        if (second < 0) {
            return null;
        }
        gs2Header = clientFirst.substring(0, second + 1);
        clientFirstBare = clientFirst.substring(second + 1);
        String clientNonce = attribute(clientFirstBare, 'r');
        if (clientNonce == null || clientNonce.isEmpty()) {
            return null;
        }
        nonce = clientNonce + serverNonce.get();
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credentials.salt()) + ",i=" + credentials.iterations();
        return serverFirst;
    }

    /** Verifies client-final-message; returns server-final-message or null when the proof is wrong. */
    String serverFinal(String clientFinal) {
        int p = clientFinal.lastIndexOf(",p=");
        if (serverFirst == null || p < 0) {
            return null;
        }
        String withoutProof = clientFinal.substring(0, p);
        String binding = attribute(withoutProof, 'c');
        String finalNonce = attribute(withoutProof, 'r');
        String expectedBinding = Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8));
        if (!expectedBinding.equals(binding) || !nonce.equals(finalNonce)) {
            return null;
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(clientFinal.substring(p + 3));
        } catch (IllegalArgumentException e) {
            return null;
        }
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] clientSignature = ScramCredentials.hmac(credentials.storedKey(), authMessage);
        if (proof.length != clientSignature.length) {
            return null;
        }
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        if (!MessageDigest.isEqual(ScramCredentials.sha256(clientKey), credentials.storedKey())) {
            return null;
        }
        byte[] serverSignature = ScramCredentials.hmac(credentials.serverKey(), authMessage);
        return "v=" + Base64.getEncoder().encodeToString(serverSignature);
    }

    private static String attribute(String message, char name) {
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        return null;
    }
}
