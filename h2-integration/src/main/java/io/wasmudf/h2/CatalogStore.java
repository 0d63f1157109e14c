package io.wasmudf.h2;

import io.wasmudf.engine.Grants;
import io.wasmudf.sql.FunctionKind;
import io.wasmudf.sql.FunctionLimits;
import io.wasmudf.sql.FunctionParameter;
import io.wasmudf.sql.SqlTypes;
import io.wasmudf.sql.Volatility;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL side of the catalog (docs/CATALOG.md): the {@code wasm} schema's tables, read and
 * written by the catalog service over its own system connection, never over a user's. Identifiers
 * are unquoted so the tables follow the database's identifier case.
 */
final class CatalogStore {
    /**
     * Catalogs written by this version; 1 was the first release (no ids, no argument table), 2 had
     * no {@code grants}, owners or language ACL (functions get their volatility's default grants
     * when loaded), 3 and 4 were development versions with only some of them and no {@code
     * function_comments} table (COMMENT ON FUNCTION); 5 kept one function per name (primary key
     * {@code (schema_name, name)}), which 6 drops for overloading ({@code id} identifies a function).
     */
    static final int CATALOG_VERSION = 7;

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
            + " created TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)",
        // added after the first release, hence ALTER for older catalogs
        "ALTER TABLE wasm.functions ADD COLUMN IF NOT EXISTS max_memory BIGINT",
        "ALTER TABLE wasm.functions ADD COLUMN IF NOT EXISTS fuel BIGINT",
        "ALTER TABLE wasm.functions ADD COLUMN IF NOT EXISTS timeout_ms BIGINT",
        "ALTER TABLE wasm.functions ADD COLUMN IF NOT EXISTS id BIGINT",
        "ALTER TABLE wasm.functions ADD COLUMN IF NOT EXISTS version INTEGER DEFAULT 1 NOT NULL",
        "ALTER TABLE wasm.functions ADD COLUMN IF NOT EXISTS kind VARCHAR(9) DEFAULT 'scalar' NOT NULL",
        "ALTER TABLE wasm.functions ADD COLUMN IF NOT EXISTS owner VARCHAR(256)",
        "ALTER TABLE wasm.functions ADD COLUMN IF NOT EXISTS display_name VARCHAR(600)",
        "ALTER TABLE wasm.functions ADD COLUMN IF NOT EXISTS module_sha256 CHAR(64)",
        "ALTER TABLE wasm.functions ADD COLUMN IF NOT EXISTS packed_result BOOLEAN DEFAULT FALSE NOT NULL",
        "ALTER TABLE wasm.functions ADD COLUMN IF NOT EXISTS acl VARCHAR(4000)",
        // the export takes its uuid/bytea values as v128 (AbiLayout#vectorForm; version 7); false in older rows
        "ALTER TABLE wasm.functions ADD COLUMN IF NOT EXISTS v128_values BOOLEAN DEFAULT FALSE NOT NULL",
        // modules uploaded as WebAssembly text keep it (ModuleGuard encodes it to bytes)
        "ALTER TABLE wasm.modules ADD COLUMN IF NOT EXISTS source_text CHARACTER LARGE OBJECT",
        "ALTER TABLE wasm.modules ALTER COLUMN bytes SET NULL",
        // the grants in force (Grants text: SET wasm.grants, else the volatility's default); null in older rows
        "ALTER TABLE wasm.functions ADD COLUMN IF NOT EXISTS grants VARCHAR(100)",
        "CREATE INDEX IF NOT EXISTS wasm.functions_module ON wasm.functions(module_name)",
        "CREATE UNIQUE INDEX IF NOT EXISTS wasm.functions_id ON wasm.functions(id)",
        // overloads: several rows per name (version 6; the primary key of older catalogs is dropped by ensure)
        "CREATE INDEX IF NOT EXISTS wasm.functions_name ON wasm.functions(schema_name, name)",
        "CREATE TABLE IF NOT EXISTS wasm.function_args ("
            + " function_id BIGINT NOT NULL,"
            + " position INTEGER NOT NULL,"
            + " name VARCHAR(256),"
            + " type VARCHAR(256) NOT NULL,"
            + " PRIMARY KEY (function_id, position))",
        "CREATE SEQUENCE IF NOT EXISTS wasm.function_ids",
        // COMMENT ON FUNCTION, by function id (version 5)
        "CREATE TABLE IF NOT EXISTS wasm.function_comments (function_id BIGINT NOT NULL PRIMARY KEY, description VARCHAR NOT NULL)",
        // CREATE AGGREGATE (version 5)
        "CREATE TABLE IF NOT EXISTS wasm.aggregates ("
            + " id BIGINT NOT NULL PRIMARY KEY,"
            + " version INTEGER NOT NULL,"
            + " schema_name VARCHAR(256) NOT NULL,"
            + " name VARCHAR(256) NOT NULL,"
            + " display_name VARCHAR(600) NOT NULL,"
            + " owner VARCHAR(256),"
            + " arg_types VARCHAR(4000) NOT NULL,"
            + " sfunc_id BIGINT NOT NULL,"
            + " stype VARCHAR(256) NOT NULL,"
            + " finalfunc_id BIGINT,"
            + " combinefunc_id BIGINT,"
            + " initcond VARCHAR(1000000),"
            + " result_type VARCHAR(256) NOT NULL,"
            + " parallel VARCHAR(10) NOT NULL,"
            + " bridge VARCHAR(1000) NOT NULL,"
            + " created TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,"
            + " UNIQUE (schema_name, name))",
        // the result columns of table functions (version 5)
        "CREATE TABLE IF NOT EXISTS wasm.function_columns ("
            + " function_id BIGINT NOT NULL,"
            + " position INTEGER NOT NULL,"
            + " name VARCHAR(256) NOT NULL,"
            + " type VARCHAR(256) NOT NULL,"
            + " setof BOOLEAN DEFAULT FALSE NOT NULL,"
            + " PRIMARY KEY (function_id, position))",
        "CREATE TABLE IF NOT EXISTS wasm.catalog (database_id CHAR(16) NOT NULL, catalog_version INTEGER NOT NULL)",
        // USAGE ON LANGUAGE wasm: null is PostgreSQL's default for a trusted language (PUBLIC has it)
        "ALTER TABLE wasm.catalog ADD COLUMN IF NOT EXISTS language_acl VARCHAR(4000)",
        // who uploaded a module (ModuleGuard sets it): only they or a superuser may change or delete it
        "ALTER TABLE wasm.modules ADD COLUMN IF NOT EXISTS owner VARCHAR(256)",
        "CREATE TRIGGER IF NOT EXISTS wasm.modules_guard BEFORE INSERT, UPDATE, DELETE ON wasm.modules FOR EACH ROW CALL '"
            + ModuleGuard.class.getName() + "'",
        // readable by everyone, as PostgreSQL's pg_proc is (psql's \df, the upload guard); writing
        // wasm.modules is for those an administrator grants INSERT/DELETE on it
        "GRANT SELECT ON TABLE wasm.modules, wasm.functions, wasm.function_args, wasm.function_comments, wasm.aggregates,"
            + " wasm.function_columns, wasm.catalog TO PUBLIC",
    };

    private static final SecureRandom RANDOM = new SecureRandom();

    private CatalogStore() {}

    /** A function as stored, with its alias target (the bridge H2 persisted) as read. */
    record StoredFunction(FunctionDef def, String bridge) {}

    /**
     * Creates or upgrades the catalog and returns the database's id (a new random one the first
     * time). Null when the catalog cannot be written (a read-only database) and has no id yet.
     */
    static String ensure(Connection sys) throws SQLException {
        String id = readDatabaseId(sys);
        if (id != null && catalogVersion(sys) == CATALOG_VERSION) {
            return id;
        }
        try (Statement st = sys.createStatement()) {
            for (String ddl : DDL) {
                st.execute(ddl);
            }
            if (hasNamePrimaryKey(sys)) {
                // catalogs before version 6 allowed one function per name
                st.execute("ALTER TABLE wasm.functions DROP PRIMARY KEY");
            }
        }
        id = readDatabaseId(sys);
        if (id == null) {
            id = newDatabaseId();
            update(sys, "INSERT INTO wasm.catalog(database_id, catalog_version) VALUES (?, ?)", id, CATALOG_VERSION);
        } else {
            update(sys, "UPDATE wasm.catalog SET catalog_version = ?", CATALOG_VERSION);
        }
        return id;
    }

    /** Whether wasm.functions still has the primary key (schema_name, name) of catalogs before version 6. */
    private static boolean hasNamePrimaryKey(Connection sys) throws SQLException {
        try (Statement st = sys.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS"
                + " WHERE UPPER(TABLE_SCHEMA) = 'WASM' AND UPPER(TABLE_NAME) = 'FUNCTIONS' AND CONSTRAINT_TYPE = 'PRIMARY KEY'")) {
            return rs.next() && rs.getInt(1) > 0;
        }
    }

    /** A fresh random database id: 16 hex digits. */
    static String newDatabaseId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static void setDatabaseId(Connection sys, String id) throws SQLException {
        update(sys, "UPDATE wasm.catalog SET database_id = ?", id);
    }

    private static String readDatabaseId(Connection sys) {
        if (!H2Access.tableExists(sys, "wasm", "catalog")) {
            return null; // no catalog yet (asked first: a failing query would leave a stack trace in the .trace.db)
        }
        try (Statement st = sys.createStatement(); ResultSet rs = st.executeQuery("SELECT database_id FROM wasm.catalog")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null; // no catalog yet
        }
    }

    private static int catalogVersion(Connection sys) {
        try (Statement st = sys.createStatement(); ResultSet rs = st.executeQuery("SELECT catalog_version FROM wasm.catalog")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            return 0;
        }
    }

    /** Every function of the catalog; rows of older catalogs get {@code id} null-safe defaults (id 0) for migration. */
    static List<StoredFunction> loadFunctions(Connection sys) throws SQLException {
        Map<Long, List<FunctionParameter>> args = new LinkedHashMap<>();
        try (Statement st = sys.createStatement();
             ResultSet rs = st.executeQuery("SELECT function_id, name, type FROM wasm.function_args ORDER BY function_id, position")) {
            while (rs.next()) {
                args.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new FunctionParameter(rs.getString(2),
                        SqlTypes.byName(rs.getString(3))));
            }
        }
        List<StoredFunction> out = new ArrayList<>();
        try (Statement st = sys.createStatement(); ResultSet rs = st.executeQuery("SELECT f.id, f.version, f.schema_name, f.name,"
                + " f.display_name, f.kind, f.owner, f.arguments, f.arg_types, f.return_type, f.is_strict, f.volatility, f.module_name,"
                + " COALESCE(f.module_sha256, m.sha256), f.export_name, f.max_memory, f.fuel, f.timeout_ms, f.packed_result, f.acl, f.bridge,"
                + " f.grants, f.v128_values"
                + " FROM wasm.functions f LEFT JOIN wasm.modules m ON m.name = f.module_name ORDER BY f.schema_name, f.name, f.id")) {
            while (rs.next()) {
                long id = rs.getLong(1);
                boolean known = !rs.wasNull();
                String bridge = rs.getString(21);
                LegacyBridge.Facts legacy = LegacyBridge.read(bridge);
                List<FunctionParameter> params = known ? args.get(id) : null;
                if (params == null) {
                    params = legacyParameters(rs.getString(8), rs.getString(9));
                }
                String display = rs.getString(5);
                if (display == null) {
                    display = legacy != null ? legacy.display() : rs.getString(4);
                }
                Long maxMemory = (Long) rs.getObject(16, Long.class);
                Long fuel = (Long) rs.getObject(17, Long.class);
                Long timeoutMs = (Long) rs.getObject(18, Long.class);
                String grants = rs.getString(22);
                Volatility volatility = Volatility.valueOf(rs.getString(12));
                FunctionLimits limits = new FunctionLimits(maxMemory == null ? null : (int) (maxMemory / FunctionLimits.PAGE_BYTES), fuel,
                        timeoutMs == null ? null : Duration.ofMillis(timeoutMs), grants == null ? null : Grants.parse(grants, Grants.NONE))
                        .withGrantsFor(volatility);
                boolean packed = rs.getBoolean(19) || (legacy != null && legacy.packedResult());
                FunctionDef def = new FunctionDef(known ? id : 0, rs.getInt(2), rs.getString(3), rs.getString(4), display,
                        FunctionKind.fromCatalog(rs.getString(6)), rs.getString(7), params, SqlTypes.byName(rs.getString(10)),
                        rs.getBoolean(11), volatility, rs.getString(13), rs.getString(14), rs.getString(15),
                        limits, packed, rs.getBoolean(23), rs.getString(20));
                out.add(new StoredFunction(def, bridge));
            }
        }
        return out;
    }

    /**
     * The parameters of a first-release row, from its display columns: their type names never
     * contained {@code ", "} then (every type was one of eight plain names), so splitting is exact.
     */
    private static List<FunctionParameter> legacyParameters(String arguments, String argTypes) {
        List<FunctionParameter> params = new ArrayList<>();
        if (argTypes.isEmpty()) {
            return params;
        }
        String[] types = argTypes.split(", ");
        String[] decls = arguments.split(", ");
        for (int i = 0; i < types.length; i++) {
            String decl = i < decls.length ? decls[i] : types[i];
            String name = decl.equals(types[i]) ? null : decl.substring(0, decl.length() - types[i].length() - 1);
            params.add(new FunctionParameter(name, SqlTypes.byName(types[i])));
        }
        return params;
    }

    /** Stores function {@code id}'s EXECUTE access list (see {@link Privileges}). */
    static void setFunctionAcl(Connection sys, long id, String acl) throws SQLException {
        update(sys, "UPDATE wasm.functions SET acl = ? WHERE id = ?", acl, id);
    }

    /** Stores the USAGE access list of LANGUAGE wasm. */
    static void setLanguageAcl(Connection sys, String acl) throws SQLException {
        update(sys, "UPDATE wasm.catalog SET language_acl = ?", acl);
    }

    /** The USAGE access list of LANGUAGE wasm; null for the default (or a catalog without the column). */
    static String languageAcl(Connection sys) {
        try (Statement st = sys.createStatement(); ResultSet rs = st.executeQuery("SELECT language_acl FROM wasm.catalog")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    /** The next function id (a sequence: ids are never reused, even after a rollback). */
    static long nextFunctionId(Connection sys) throws SQLException {
        try (Statement st = sys.createStatement(); ResultSet rs = st.executeQuery("SELECT NEXT VALUE FOR wasm.function_ids")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A module's bytes and their SHA-256 as the database computed it when the row was written (lower-case hex). */
    record ModuleRow(byte[] bytes, String sha256) {}

    /**
     * The module named {@code name}, or null. Its {@code sha256} is the generated column, which H2
     * computes from the bytes whenever the row is written and nobody can set: the catalog's own
     * hash of exactly these bytes, read rather than computed again.
     */
    static ModuleRow moduleRow(Connection sys, String name) throws SQLException {
        try (PreparedStatement ps = sys.prepareStatement("SELECT bytes, sha256 FROM wasm.modules WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new ModuleRow(rs.getBytes(1), rs.getString(2)) : null;
            }
        }
    }

    /** The bytes of module {@code name}, or null when there is no such module. */
    static byte[] moduleBytes(Connection sys, String name) throws SQLException {
        try (PreparedStatement ps = sys.prepareStatement("SELECT bytes FROM wasm.modules WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    /**
     * Adds an implicit module (content-named) unless one of that name exists already; {@code
     * sourceText} is the WAT it was written in, or null. Texts that encode to the same bytes share
     * one module, which keeps the first text.
     */
    static void addImplicitModule(Connection sys, String name, byte[] bytes, String sourceText) throws SQLException {
        if (moduleBytes(sys, name) != null) {
            return;
        }
        update(sys, "INSERT INTO wasm.modules(name, bytes, implicit, source_text) VALUES (?, ?, TRUE, ?)", name, bytes, sourceText);
    }

    /** Writes {@code f}'s rows (the function and its arguments) with alias target {@code bridge}. */
    static void insertFunction(Connection sys, FunctionDef f, String bridge) throws SQLException {
        try (PreparedStatement ps = sys.prepareStatement("INSERT INTO wasm.functions(schema_name, name, arguments, arg_types, return_type,"
                + " module_name, export_name, volatility, is_strict, bridge, max_memory, fuel, timeout_ms, id, version, kind, owner,"
                + " display_name, module_sha256, packed_result, acl, grants, v128_values) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            FunctionLimits l = f.limits();
            ps.setString(1, f.schema());
            ps.setString(2, f.name());
            ps.setString(3, f.argumentsText());
            ps.setString(4, String.join(", ", f.paramTypes().stream().map(t -> t.sqlName()).toList()));
            ps.setString(5, f.result().sqlName());
            ps.setString(6, f.module());
            ps.setString(7, f.export());
            ps.setString(8, f.volatility().name());
            ps.setBoolean(9, f.strict());
            ps.setString(10, bridge);
            ps.setObject(11, l.maxMemoryPages() == null ? null : l.maxMemoryPages() * FunctionLimits.PAGE_BYTES, Types.BIGINT);
            ps.setObject(12, l.fuel(), Types.BIGINT);
            ps.setObject(13, l.timeout() == null ? null : l.timeout().toMillis(), Types.BIGINT);
            ps.setLong(14, f.id());
            ps.setInt(15, f.version());
            ps.setString(16, f.kind().catalogName());
            ps.setString(17, f.owner());
            ps.setString(18, f.display());
            ps.setString(19, f.sha256());
            ps.setBoolean(20, f.packedResult());
            ps.setString(21, f.acl());
            ps.setString(22, l.withGrantsFor(f.volatility()).grants().toString());
            ps.setBoolean(23, f.v128Values());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = sys.prepareStatement("INSERT INTO wasm.function_args(function_id, position, name, type) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < f.params().size(); i++) {
                ps.setLong(1, f.id());
                ps.setInt(2, i + 1);
                ps.setString(3, f.params().get(i).name());
                ps.setString(4, f.params().get(i).type().sqlName());
                ps.addBatch();
            }
            if (!f.params().isEmpty()) {
                ps.executeBatch();
            }
        }
    }

    /** Sets (or with null removes) the description of function {@code id}. */
    static void setComment(Connection sys, long id, String comment) throws SQLException {
        update(sys, "DELETE FROM wasm.function_comments WHERE function_id = ?", id);
        if (comment != null) {
            update(sys, "INSERT INTO wasm.function_comments(function_id, description) VALUES (?, ?)", id, comment);
        }
    }

    /** Deletes the rows of function {@code id} (a first-release row, without id, by its {@code schema.name}). */
    static void deleteFunction(Connection sys, String schema, String name, long id) throws SQLException {
        update(sys, "DELETE FROM wasm.functions WHERE id = ? OR (id IS NULL AND schema_name = ? AND name = ?)", id, schema, name);
        update(sys, "DELETE FROM wasm.function_args WHERE function_id = ?", id);
    }

    /** Records {@code target} as the alias target of every function of {@code schema.name} (its overloads share one alias). */
    static void setBridge(Connection sys, String schema, String name, String target) throws SQLException {
        update(sys, "UPDATE wasm.functions SET bridge = ? WHERE schema_name = ? AND name = ?", target, schema, name);
    }

    /** Deletes {@code module} if it is implicit and no function uses it any more. */
    static void deleteImplicitIfUnused(Connection sys, String module) throws SQLException {
        update(sys, "DELETE FROM wasm.modules m WHERE name = ? AND implicit"
                + " AND NOT EXISTS (SELECT 1 FROM wasm.functions f WHERE f.module_name = m.name)", module);
    }

    /** Runs one INSERT, UPDATE or DELETE with {@code args} bound in order (a null binds SQL NULL). */
    private static void update(Connection sys, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = sys.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }
}
