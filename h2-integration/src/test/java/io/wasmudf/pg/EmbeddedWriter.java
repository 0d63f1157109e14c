package io.wasmudf.pg;

import io.wasmudf.h2.WasmDriver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Properties;

/** A child process for {@link CrashDurabilityTest}: commits rows through jdbc:wasm:file: and prints each acknowledged id. */
public final class EmbeddedWriter {
    private EmbeddedWriter() {
    }

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        try (Connection c = WasmDriver.load().connect(WasmDriver.PREFIX + "file:" + args[0] + (args.length > 2 ? args[2] : ""), p)) {
            try (Statement st = c.createStatement()) {
                st.execute("create table if not exists acks(id bigint primary key)");
            }
            try (PreparedStatement ps = c.prepareStatement("insert into acks values (?)")) {
                for (long id = Long.parseLong(args[1]); ; id++) {
                    ps.setLong(1, id);
                    ps.executeUpdate(); // autocommit: acknowledged when this returns
                    System.out.println(id);
                    System.out.flush();
                }
            }
        }
    }
}
