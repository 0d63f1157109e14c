package io.wasmudf.sql;

import io.wasmudf.sql.types.ArrayType;
import io.wasmudf.sql.types.BooleanType;
import io.wasmudf.sql.types.ByteaType;
import io.wasmudf.sql.types.DateTimeType;
import io.wasmudf.sql.types.FloatType;
import io.wasmudf.sql.types.IntegralType;
import io.wasmudf.sql.types.IntervalType;
import io.wasmudf.sql.types.JsonType;
import io.wasmudf.sql.types.NumericType;
import io.wasmudf.sql.types.TextType;
import io.wasmudf.sql.types.UuidType;
import io.wasmudf.sql.types.V128Type;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The registry of the SQL types wasm functions support: one codec per type family
 * ({@code io.wasmudf.sql.types}), looked up by any of its names. Adding a type is one codec class
 * plus its line in {@link #ALL}.
 */
public final class SqlTypes {
    public static final SqlType BOOLEAN = BooleanType.BOOLEAN;
    public static final SqlType SMALLINT = IntegralType.SMALLINT;
    public static final SqlType INTEGER = IntegralType.INTEGER;
    public static final SqlType BIGINT = IntegralType.BIGINT;
    public static final SqlType REAL = FloatType.REAL;
    public static final SqlType DOUBLE_PRECISION = FloatType.DOUBLE_PRECISION;
    public static final SqlType TEXT = TextType.TEXT;
    public static final SqlType BYTEA = ByteaType.BYTEA;
    public static final SqlType NUMERIC = NumericType.NUMERIC;
    public static final SqlType DATE = DateTimeType.DATE;
    public static final SqlType TIME = DateTimeType.TIME;
    public static final SqlType TIMESTAMP = DateTimeType.TIMESTAMP;
    public static final SqlType TIMESTAMPTZ = DateTimeType.TIMESTAMPTZ;
    public static final SqlType INTERVAL = IntervalType.INTERVAL;
    public static final SqlType UUID = UuidType.UUID_TYPE;
    public static final SqlType JSON = JsonType.JSON;
    public static final SqlType JSONB = JsonType.JSONB;
    public static final SqlType BPCHAR = TextType.BPCHAR;

    /** Every supported type, in the order messages list them. */
    private static final List<SqlType> ALL = List.of(BOOLEAN, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE_PRECISION, NUMERIC, TEXT,
            BPCHAR, BYTEA, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, INTERVAL, UUID, JSON, JSONB);

    private static final Map<String, SqlType> BY_NAME = new HashMap<>();

    static {
        for (SqlType t : ALL) {
            register(t.sqlName(), t);
            t.spellings().forEach(s -> register(s, t));
        }
    }

    private static void register(String name, SqlType t) {
        if (BY_NAME.putIfAbsent(name, t) != null) {
            throw new ExceptionInInitializerError("two SQL types are named " + name);
        }
    }

    private SqlTypes() {}

    /** Every supported type. */
    public static List<SqlType> all() {
        return ALL;
    }

    /**
     * The type named by {@code words} (a type name split into words, any case) with the type
     * modifiers written after it ({@code varchar(20)}: [20]), or null if no supported type has
     * that name.
     */
    public static SqlType resolve(List<String> words, List<Integer> modifiers) {
        String spelling = String.join(" ", words).toLowerCase(Locale.ROOT);
        SqlType t = BY_NAME.get(spelling);
        return t == null || modifiers.isEmpty() ? t : t.withModifiers(spelling, modifiers);
    }

    /** The type stored in the catalog as {@code sqlName} (its canonical name; arrays as {@code integer[]}). */
    public static SqlType byName(String sqlName) {
        SqlType t = sqlName.endsWith("[]") ? arrayOf(byName(sqlName.substring(0, sqlName.length() - 2))) : BY_NAME.get(sqlName);
        if (t == null || !t.sqlName().equals(sqlName)) {
            throw new IllegalArgumentException("unknown SQL type: " + sqlName);
        }
        return t;
    }

    /**
     * The codec of {@code t} passed as one v128 ({@link V128Type}: {@code uuid}, and {@code bytea}
     * of 16 bytes), or {@code t} itself for a type without a vector form.
     */
    public static SqlType vectorForm(SqlType t) {
        if (t == UUID) {
            return V128Type.UUID_V128;
        }
        return t == BYTEA ? V128Type.BYTEA_V128 : t;
    }

    /** The one-dimensional array type of {@code element}, or null when there is none (arrays of arrays). */
    public static SqlType arrayOf(SqlType element) {
        return ArrayType.of(element);
    }

    /** {@code integer, text}: an argument list as PostgreSQL's messages and {@code pg_get_function_arguments} show it. */
    public static String names(List<SqlType> types) {
        return types.stream().map(SqlType::sqlName).collect(Collectors.joining(", "));
    }

    /** The supported types for messages: {@code boolean, smallint, …, text, varchar or bytea}. */
    public static String describeSupported() {
        List<String> names = ALL.stream().map(SqlType::sqlName).collect(Collectors.toList());
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
