package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The server side of SCRAM-SHA-256 against the example exchange of RFC 7677, section 3. */
class ScramExchangeTest {
    private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final ScramCredentials PENCIL = ScramCredentials.fromPassword("pencil",
            Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);

    @Test
    void rfc7677Example() {
        ScramExchange x = new ScramExchange(PENCIL, () -> SERVER_NONCE);
        assertEquals("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
                x.serverFirst("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        assertEquals("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
                x.serverFinal("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
    }

    @Test
    void wrongProofNonceOrBindingIsRefused() {
        String first = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
        String nonce = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        ScramExchange x = new ScramExchange(PENCIL, () -> SERVER_NONCE);
        x.serverFirst(first);
        assertNull(x.serverFinal("c=biws," + nonce + ",p=AAAAZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
        x = new ScramExchange(PENCIL, () -> SERVER_NONCE);
        x.serverFirst(first);
        assertNull(x.serverFinal("c=biws,r=other,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
        x = new ScramExchange(PENCIL, () -> SERVER_NONCE);
        x.serverFirst(first);
        assertNull(x.serverFinal("c=eSws," + nonce + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
        // channel binding requested although the server offered only SCRAM-SHA-256 (no -PLUS)
        assertNull(new ScramExchange(PENCIL).serverFirst("p=tls-server-end-point,,n=,r=abc"));
        assertNull(new ScramExchange(PENCIL).serverFirst("garbage"));
    }
}
