package io.wasmudf.h2;

import io.wasmudf.sql.AbiLayout;
import io.wasmudf.sql.FunctionLimits;
import io.wasmudf.sql.Hex;
import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.SqlTypes;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Everything a bridge class needs, encoded in its (synthetic) class name so that H2 can load it
 * from nothing but the alias it persisted: the function's display name, the module's SHA-256,
 * the export, the SQL signature and the function's own limits ({@code SET wasm.…}; version 2 names
 * only, so functions without any keep their version 1 name) and whether the export returns its
 * {@code option<T>} result packed into an i64 ({@link AbiLayout#packedOption}; the strictness
 * field is then "P" instead of "N"). The module bytes themselves come from {@code wasm.modules} by
 * SHA-256 on first call.
 */
record BridgeSpec(String function, String sha256, String export, List<SqlType> params, SqlType result, boolean strict,
                  FunctionLimits limits, boolean packedOption) {
    static final String PACKAGE = "io.wasmudf.h2.bridge.";
    static final String PREFIX = PACKAGE + "W";
    static final String METHOD = "call";
    private static final String VERSION = "1";
    private static final String VERSION_WITH_LIMITS = "2";

    BridgeSpec {
        params = List.copyOf(params);
        limits = limits == null ? FunctionLimits.NONE : limits;
    }

    BridgeSpec(String function, String sha256, String export, List<SqlType> params, SqlType result, boolean strict) {
        this(function, sha256, export, params, result, strict, FunctionLimits.NONE, false);
    }

    BridgeSpec(String function, String sha256, String export, List<SqlType> params, SqlType result, boolean strict,
               FunctionLimits limits) {
        this(function, sha256, export, params, result, strict, limits, false);
    }

    AbiLayout abi() {
        return AbiLayout.of(params, result, strict, packedOption);
    }

    /** The class name: {@code io.wasmudf.h2.bridge.W1_<hex>_<hex>…}, one hex field each, a valid Java binary name. */
    String className() {
        StringBuilder codes = new StringBuilder();
        for (SqlType t : params) {
            codes.append(code(t));
        }
        boolean v2 = !limits.isEmpty();
        StringBuilder name = new StringBuilder(PREFIX).append(v2 ? VERSION_WITH_LIMITS : VERSION);
        List<String> fields = new ArrayList<>(List.of(function, sha256, export, codes.toString(), String.valueOf(code(result)),
                strict ? "S" : packedOption ? "P" : "N"));
        if (v2) {
            fields.add(encode(limits));
        }
        for (String field : fields) {
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
        if (!(f.length == 7 && f[0].equals(VERSION)) && !(f.length == 8 && f[0].equals(VERSION_WITH_LIMITS))) {
            throw new IllegalArgumentException("unsupported bridge class name: " + className);
        }
        for (int i = 1; i < f.length; i++) {
            f[i] = new String(Hex.decode(f[i], "bridge class name"), StandardCharsets.UTF_8);
        }
        List<SqlType> params = new ArrayList<>();
        for (char c : f[4].toCharArray()) {
            params.add(type(c));
        }
        if (!f[6].equals("S") && !f[6].equals("N") && !f[6].equals("P")) {
            throw new IllegalArgumentException("bad null behaviour " + f[6] + " in bridge class name: " + className);
        }
        return new BridgeSpec(f[1], f[2], f[3], params, type(f[5].charAt(0)), f[6].equals("S"), f.length == 8 ? decode(f[7]) : FunctionLimits.NONE,
                f[6].equals("P"));
    }

    /** {@code m<pages>;f<fuel>;t<nanos>}, set limits only. */
    private static String encode(FunctionLimits l) {
        StringJoiner j = new StringJoiner(";");
        if (l.maxMemoryPages() != null) {
            j.add("m" + l.maxMemoryPages());
        }
        if (l.fuel() != null) {
            j.add("f" + l.fuel());
        }
        if (l.timeout() != null) {
            j.add("t" + l.timeout().toNanos());
        }
        return j.toString();
    }

    private static FunctionLimits decode(String s) {
        Integer pages = null;
        Long fuel = null;
        Duration timeout = null;
        for (String part : s.split(";")) {
            if (part.isEmpty()) {
                continue;
            }
            long v = Long.parseLong(part.substring(1));
            switch (part.charAt(0)) {
                case 'm': pages = Math.toIntExact(v); break;
                case 'f': fuel = v; break;
                case 't': timeout = Duration.ofNanos(v); break;
                default: throw new IllegalArgumentException("bad limit " + part);
            }
        }
        return new FunctionLimits(pages, fuel, timeout);
    }

    private static final String CODES = "bsilfdtx";
    private static final SqlType[] TYPES = {SqlTypes.BOOLEAN, SqlTypes.SMALLINT, SqlTypes.INTEGER, SqlTypes.BIGINT, SqlTypes.REAL,
        SqlTypes.DOUBLE_PRECISION, SqlTypes.TEXT, SqlTypes.BYTEA};

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
