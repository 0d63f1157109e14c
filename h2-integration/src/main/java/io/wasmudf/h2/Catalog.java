package io.wasmudf.h2;

import io.wasmudf.sql.FunctionLimits;
import io.wasmudf.sql.SqlType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

/**
 * The {@code wasm} schema: {@code wasm.modules} and {@code wasm.functions} (documented in
 * docs/CATALOG.md). Identifiers are unquoted so the tables follow the database's identifier case.
 */
final class Catalog {
    static final String[] DDL = {
        "CREATE SCHEMA IF NOT EXISTS wasm",
        "CREATE TABLE IF NOT EXISTS wasm.modules ("
            + " name VARCHAR(256) NOT NULL PRIMARY KEY,"
            + " sha256 CHAR(64) GENERATED ALWAYS AS (LOWER(RAWTOHEX(HASH('SHA-256', bytes)))),"
            + " bytes VARBINARY NOT NULL,"
            + " size INTEGER GENERATED ALWAYS AS (OCTET_LENGTH(bytes)),"
            + " implicit BOOLEAN DEFAULT FALSE NOT NULL,"
            + " created TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)",
        "CREATE TABLE IF NOT EXISTS wasm.functions ("
            + " schema_name VARCHAR(256) NOT NULL,"
            + " name VARCHAR(256) NOT NULL,"
            + " arguments VARCHAR(4000) NOT NULL,"
            + " arg_types VARCHAR(4000) NOT NULL,"
            + " return_type VARCHAR(64) NOT NULL,"
            + " module_name VARCHAR(256) NOT NULL,"
            + " export_name VARCHAR(256) NOT NULL,"
            + " volatility VARCHAR(9) NOT NULL,"
            + " is_strict BOOLEAN NOT NULL,"
            + " bridge VARCHAR(1000) NOT NULL,"
            + " created TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,"
            + " PRIMARY KEY (schema_name, name))",
        // limits from SET wasm.… clauses (NULL: the database default); added later, hence ALTER for older catalogs
        "ALTER TABLE wasm.functions ADD COLUMN IF NOT EXISTS max_memory BIGINT",
        "ALTER TABLE wasm.functions ADD COLUMN IF NOT EXISTS fuel BIGINT",
        "ALTER TABLE wasm.functions ADD COLUMN IF NOT EXISTS timeout_ms BIGINT",
        "CREATE INDEX IF NOT EXISTS wasm.functions_module ON wasm.functions(module_name)",
        "CREATE TRIGGER IF NOT EXISTS wasm.modules_guard BEFORE INSERT, UPDATE, DELETE ON wasm.modules FOR EACH ROW CALL '"
            + ModuleGuard.class.getName() + "'",
    };

    /** Databases whose catalog is known to exist in this JVM. */
    private static final Set<Object> READY = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private Catalog() {}

    /** A row of {@code wasm.functions}. */
    record FunctionRow(String schema, String name, List<SqlType> argTypes, SqlType returnType, String module, String export,
                       String volatility, boolean strict, String bridge) {}

    /** Creates the catalog if this JVM has not seen it in this database yet. */
    static void ensure(Connection raw) throws SQLException {
        Object db = database(raw);
        if (db != null && READY.contains(db)) {
            return;
        }
        boolean auto = raw.getAutoCommit();
        try (Statement st = raw.createStatement()) {
            for (String ddl : DDL) {
                st.execute(ddl);
            }
        } finally {
            if (auto != raw.getAutoCommit()) {
                raw.setAutoCommit(auto);
            }
        }
        if (db != null) {
            READY.add(db);
        }
    }

    private static Object database(Connection raw) {
        if (raw instanceof JdbcConnection j && j.getSession() instanceof SessionLocal s) {
            return s.getDatabase();
        }
        return null;
    }

    static FunctionRow findFunction(Connection raw, String schema, String name) throws SQLException {
        try (PreparedStatement ps = raw.prepareStatement("SELECT arg_types, return_type, module_name, export_name, volatility, is_strict, bridge"
                + " FROM wasm.functions WHERE schema_name = ? AND name = ?")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                List<SqlType> args = new ArrayList<>();
                String types = rs.getString(1);
                if (!types.isEmpty()) {
                    for (String t : types.split(", ")) {
                        args.add(io.wasmudf.sql.SqlTypes.byName(t));
                    }
                }
                return new FunctionRow(schema, name, args, io.wasmudf.sql.SqlTypes.byName(rs.getString(2)), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getBoolean(6), rs.getString(7));
            }
        }
    }

    /** The bytes of module {@code name}, or null when there is no such module. */
    static byte[] moduleBytes(Connection raw, String name) throws SQLException {
        try (PreparedStatement ps = raw.prepareStatement("SELECT bytes FROM wasm.modules WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    /** Adds an implicit module (content-named) unless one of that name exists already. */
    static void addImplicitModule(Connection raw, String name, byte[] bytes) throws SQLException {
        if (moduleBytes(raw, name) != null) {
            return;
        }
        try (PreparedStatement ps = raw.prepareStatement("INSERT INTO wasm.modules(name, bytes, implicit) VALUES (?, ?, TRUE)")) {
            ps.setString(1, name);
            ps.setBytes(2, bytes);
            ps.executeUpdate();
        }
    }

    static void insertFunction(Connection raw, String schema, String name, String arguments, String argTypes, SqlType returnType,
                               String module, String export, String volatility, boolean strict, String bridge, FunctionLimits limits) throws SQLException {
        try (PreparedStatement ps = raw.prepareStatement("INSERT INTO wasm.functions(schema_name, name, arguments, arg_types, return_type,"
                + " module_name, export_name, volatility, is_strict, bridge, max_memory, fuel, timeout_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            ps.setString(3, arguments);
            ps.setString(4, argTypes);
            ps.setString(5, returnType.sqlName());
            ps.setString(6, module);
            ps.setString(7, export);
            ps.setString(8, volatility);
            ps.setBoolean(9, strict);
            ps.setString(10, bridge);
            ps.setObject(11, limits.maxMemoryPages() == null ? null : limits.maxMemoryPages() * FunctionLimits.PAGE_BYTES, java.sql.Types.BIGINT);
            ps.setObject(12, limits.fuel(), java.sql.Types.BIGINT);
            ps.setObject(13, limits.timeout() == null ? null : limits.timeout().toMillis(), java.sql.Types.BIGINT);
            ps.executeUpdate();
        }
    }

    static void deleteFunction(Connection raw, String schema, String name) throws SQLException {
        try (PreparedStatement ps = raw.prepareStatement("DELETE FROM wasm.functions WHERE schema_name = ? AND name = ?")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    /** Deletes {@code module} if it is implicit and no function uses it any more. */
    static void deleteImplicitIfUnused(Connection raw, String module) throws SQLException {
        try (PreparedStatement ps = raw.prepareStatement("DELETE FROM wasm.modules m WHERE name = ? AND implicit"
                + " AND NOT EXISTS (SELECT 1 FROM wasm.functions f WHERE f.module_name = m.name)")) {
            ps.setString(1, module);
            ps.executeUpdate();
        }
    }

    /** Qualified names of the functions using {@code module}. */
    static List<String> functionsUsing(Connection raw, String module) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = raw.prepareStatement("SELECT schema_name, name FROM wasm.functions WHERE module_name = ? ORDER BY 1, 2")) {
            ps.setString(1, module);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + "." + rs.getString(2));
                }
            }
        }
        return out;
    }
}
