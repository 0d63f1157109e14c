package io.wasmudf.h2;

import io.wasmudf.sql.AbiSignature;
import io.wasmudf.sql.Hex;
import io.wasmudf.sql.SqlType;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a bridge class needs, encoded in its (synthetic) class name so that H2 can load it
 * from nothing but the alias it persisted: the function's display name, the module's SHA-256,
 * the export and the SQL signature. The module bytes themselves come from {@code wasm.modules}
 * by SHA-256 on first call.
 */
record BridgeSpec(String function, String sha256, String export, List<SqlType> params, SqlType result, boolean strict) {
    static final String PACKAGE = "io.wasmudf.h2.bridge.";
    static final String PREFIX = PACKAGE + "W";
    static final String METHOD = "call";
    private static final String VERSION = "1";

    BridgeSpec {
        params = List.copyOf(params);
    }

    AbiSignature abi() {
        return AbiSignature.of(params, result, strict);
    }

    /** The class name: {@code io.wasmudf.h2.bridge.W1_<hex>_<hex>…}, one hex field each, a valid Java binary name. */
    String className() {
        StringBuilder codes = new StringBuilder();
        for (SqlType t : params) {
            codes.append(code(t));
        }
        StringBuilder name = new StringBuilder(PREFIX).append(VERSION);
        for (String field : new String[] {function, sha256, export, codes.toString(), String.valueOf(code(result)), strict ? "S" : "N"}) {
            name.append('_').append(Hex.encode(field.getBytes(StandardCharsets.UTF_8)));
        }
        return name.toString();
    }

    /** The H2 alias target, {@code class.method}. */
    String aliasTarget() {
        return className() + "." + METHOD;
    }

    static BridgeSpec fromClassName(String className) throws SQLException {
        if (!className.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a bridge class: " + className);
        }
        String[] f = className.substring(PREFIX.length()).split("_", -1);
        if (f.length != 7 || !f[0].equals(VERSION)) {
            throw new IllegalArgumentException("unsupported bridge class name: " + className);
        }
        for (int i = 1; i < f.length; i++) {
            f[i] = new String(Hex.decode(f[i], "bridge class name"), StandardCharsets.UTF_8);
        }
        List<SqlType> params = new ArrayList<>();
        for (char c : f[4].toCharArray()) {
            params.add(type(c));
        }
        return new BridgeSpec(f[1], f[2], f[3], params, type(f[5].charAt(0)), f[6].equals("S"));
    }

    private static final String CODES = "bsilfdtx";
    private static final SqlType[] TYPES = {SqlType.BOOLEAN, SqlType.SMALLINT, SqlType.INTEGER, SqlType.BIGINT, SqlType.REAL,
        SqlType.DOUBLE_PRECISION, SqlType.TEXT, SqlType.BYTEA};

    private static char code(SqlType t) {
        for (int i = 0; i < TYPES.length; i++) {
            if (TYPES[i] == t) {
                return CODES.charAt(i);
            }
        }
        throw new IllegalArgumentException(t.toString());
    }

    private static SqlType type(char c) {
        int i = CODES.indexOf(c);
        if (i < 0) {
            throw new IllegalArgumentException("bad type code " + c);
        }
        return TYPES[i];
    }
}
