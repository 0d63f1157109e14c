package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS after SSLRequest, with a self-signed certificate made by the JDK's keytool. */
class PgTlsTest {
    @TempDir
    Path dir;

    private String keystore() throws Exception {
        Path ks = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "pg", "-keyalg", "RSA", "-keysize", "2048", "-dname",
                "CN=localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit",
                "-keypass", "changeit").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        return ks.toString();
    }

    @Test
    void clientsCanRequireTls() throws Exception {
        String url = "jdbc:h2:mem:tls" + System.nanoTime();
        try (Connection keep = DriverManager.getConnection(url)) {
            PgServer server = PgServer.builder().connectionFactory(() -> DriverManager.getConnection(url)).port(0).password("pw")
                    .tls(ServeMain.tlsContext(keystore(), "changeit")).build().start();
            try {
                try (RawClient raw = new RawClient(server.port())) {
                    raw.sendRaw(RawClient.concat(RawClient.int32(8), RawClient.int32(80877103)));
                    assertEquals('S', raw.socket.getInputStream().read());
                }
                Properties p = new Properties();
                p.setProperty("user", "wasmudf");
                p.setProperty("password", "pw");
                p.setProperty("sslmode", "require"); // encrypted, certificate not verified (self-signed)
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port() + "/wasmudf", p);
                        Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select 'over tls'")) {
                    rs.next();
                    assertEquals("over tls", rs.getString(1));
                }
                if (PsqlRunner.psql() != null) {
                    String out = PsqlRunner.run("127.0.0.1", server.port(), "wasmudf", "dbname=wasmudf sslmode=require", "pw",
                            "\\conninfo\nselect 1 as one;\n");
                    assertTrue(out.contains("SSL connection") && out.contains("one\n1\n(1 row)"), out);
                } else {
                    System.err.println("SKIPPED psql part of PgTlsTest: psql is not installed");
                }
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void withoutTlsTheServerAnswersN() throws Exception {
        try (PgTestServer s = new PgTestServer(); RawClient raw = new RawClient(s.server.port())) {
            raw.sendRaw(RawClient.concat(RawClient.int32(8), RawClient.int32(80877103)));
            assertEquals('N', raw.socket.getInputStream().read());
        }
    }
}
