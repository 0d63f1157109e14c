package io.wasmudf.pg;

import java.sql.Types;
import java.util.HashMap;
import java.util.Map;

/** A PostgreSQL built-in type the server can describe: OID, name, wire length, array OID. */
enum PgType {
    BOOL(16, "bool", "boolean", 1, 1000),
    BYTEA(17, "bytea", "bytea", -1, 1001),
    CHAR(18, "char", "\"char\"", 1, 1002),
    NAME(19, "name", "name", 64, 1003),
    INT8(20, "int8", "bigint", 8, 1016),
    INT2(21, "int2", "smallint", 2, 1005),
    INT4(23, "int4", "integer", 4, 1007),
    TEXT(25, "text", "text", -1, 1009),
    OID(26, "oid", "oid", 4, 1028),
    FLOAT4(700, "float4", "real", 4, 1021),
    FLOAT8(701, "float8", "double precision", 8, 1022),
    UNKNOWN(705, "unknown", "unknown", -2, 0),
    BPCHAR(1042, "bpchar", "character", -1, 1014),
    VARCHAR(1043, "varchar", "character varying", -1, 1015),
    DATE(1082, "date", "date", 4, 1182),
    TIME(1083, "time", "time without time zone", 8, 1183),
    TIMESTAMP(1114, "timestamp", "timestamp without time zone", 8, 1115),
    TIMESTAMPTZ(1184, "timestamptz", "timestamp with time zone", 8, 1185),
    NUMERIC(1700, "numeric", "numeric", -1, 1231),
    UUID(2950, "uuid", "uuid", 16, 2951),
    VOID(2278, "void", "void", 4, 0),
    INT2VECTOR(22, "int2vector", "int2vector", -1, 1006),
    OIDVECTOR(30, "oidvector", "oidvector", -1, 1013),
    INTERVAL(1186, "interval", "interval", 16, 1187),
    JSON(114, "json", "json", -1, 199),
    JSONB(3802, "jsonb", "jsonb", -1, 3807),
    TEXT_ARRAY(1009, "_text", "text[]", -1, 0),
    BOOL_ARRAY(1000, "_bool", "boolean[]", -1, 0),
    BYTEA_ARRAY(1001, "_bytea", "bytea[]", -1, 0),
    INT2_ARRAY(1005, "_int2", "smallint[]", -1, 0),
    INT4_ARRAY(1007, "_int4", "integer[]", -1, 0),
    INT8_ARRAY(1016, "_int8", "bigint[]", -1, 0),
    FLOAT4_ARRAY(1021, "_float4", "real[]", -1, 0),
    FLOAT8_ARRAY(1022, "_float8", "double precision[]", -1, 0),
    BPCHAR_ARRAY(1014, "_bpchar", "character[]", -1, 0),
    VARCHAR_ARRAY(1015, "_varchar", "character varying[]", -1, 0),
    DATE_ARRAY(1182, "_date", "date[]", -1, 0),
    TIME_ARRAY(1183, "_time", "time without time zone[]", -1, 0),
    TIMESTAMP_ARRAY(1115, "_timestamp", "timestamp without time zone[]", -1, 0),
    TIMESTAMPTZ_ARRAY(1185, "_timestamptz", "timestamp with time zone[]", -1, 0),
    INTERVAL_ARRAY(1187, "_interval", "interval[]", -1, 0),
    NUMERIC_ARRAY(1231, "_numeric", "numeric[]", -1, 0),
    UUID_ARRAY(2951, "_uuid", "uuid[]", -1, 0),
    JSON_ARRAY(199, "_json", "json[]", -1, 0),
    JSONB_ARRAY(3807, "_jsonb", "jsonb[]", -1, 0),
    NAME_ARRAY(1003, "_name", "name[]", -1, 0),
    CHAR_ARRAY(1002, "_char", "\"char\"[]", -1, 0),
    OID_ARRAY(1028, "_oid", "oid[]", -1, 0),
    REGPROC(24, "regproc", "regproc", 4, 1008),
    REGCLASS(2205, "regclass", "regclass", 4, 2210),
    REGTYPE(2206, "regtype", "regtype", 4, 2211);

    final int oid;
    /** The name in pg_type.typname. */
    final String typname;
    /** The SQL name format_type() prints. */
    final String sqlName;
    final short length;
    final int arrayOid;

    PgType(int oid, String typname, String sqlName, int length, int arrayOid) {
        this.oid = oid;
        this.typname = typname;
        this.sqlName = sqlName;
        this.length = (short) length;
        this.arrayOid = arrayOid;
    }

    private static final Map<Integer, PgType> BY_OID = new HashMap<>();
    private static final Map<String, PgType> BY_NAME = new HashMap<>();

    static {
        for (PgType t : values()) {
            BY_OID.put(t.oid, t);
            BY_NAME.put(t.typname, t);
            BY_NAME.put(t.sqlName, t);
        }
        for (PgType t : values()) {
            PgType e = t.element();
            if (e != null) {
                // the catalog's array names: integer[], timestamptz[], character[]…
                BY_NAME.putIfAbsent(e.typname + "[]", t);
                BY_NAME.putIfAbsent(e.sqlName + "[]", t);
            }
        }
        BY_NAME.put("int", INT4);
        BY_NAME.put("integer", INT4);
        BY_NAME.put("float", FLOAT8);
        BY_NAME.put("double", FLOAT8);
        BY_NAME.put("decimal", NUMERIC);
        BY_NAME.put("timestamp", TIMESTAMP);
        BY_NAME.put("character varying", VARCHAR);
    }

    /** The type with this OID, or null. */
    static PgType byOid(int oid) {
        return BY_OID.get(oid);
    }

    /** The type with this pg_type or SQL name (case-insensitive), or null. */
    static PgType byName(String name) {
        return name == null ? null : BY_NAME.get(name.trim().toLowerCase(java.util.Locale.ROOT));
    }

    /** True for the types whose values are character strings. */
    boolean isText() {
        return this == TEXT || this == VARCHAR || this == BPCHAR || this == NAME || this == CHAR || this == UNKNOWN;
    }

    /** Length limit above which H2 reports an unbounded character string (H2's maximum). */
    static final long UNBOUNDED = 1_000_000_000L;

    /** For an array type, its element type (the type whose {@code arrayOid} this is), else null. */
    PgType element() {
        if (!typname.startsWith("_")) {
            return null;
        }
        for (PgType t : values()) {
            if (t.arrayOid == oid) {
                return t;
            }
        }
        return null;
    }

    /** For a type, its array type, or null. */
    PgType array() {
        return arrayOid == 0 ? null : byOid(arrayOid);
    }

    /** Maps a JDBC column type (as H2 reports it) to the closest PostgreSQL type. */
    static PgType fromJdbc(int jdbcType, String typeName, long precision) {
        if (typeName != null) {
            // H2 reports these by name: UUID as BINARY, INTERVAL and JSON as OTHER, arrays as "<element> ARRAY"
            String n = typeName.toUpperCase(java.util.Locale.ROOT);
            if (jdbcType == Types.ARRAY && n.endsWith(" ARRAY")) {
                PgType element = fromH2Name(n.substring(0, n.length() - " ARRAY".length()).replaceAll("\\(.*?\\)", "").trim());
                PgType array = element == null ? null : element.array();
                return array == null ? TEXT : array;
            }
            if (n.equals("UUID")) {
                return UUID;
            }
            if (n.startsWith("INTERVAL")) {
                return INTERVAL;
            }
            if (n.equals("JSON")) {
                return JSON;
            }
        }
        return fromJdbcType(jdbcType, typeName, precision);
    }

    /** An H2 data type name (without modifiers) as a PostgreSQL type, or null. */
    private static PgType fromH2Name(String n) {
        switch (n) {
            case "BOOLEAN": return BOOL;
            case "TINYINT": case "SMALLINT": return INT2;
            case "INTEGER": return INT4;
            case "BIGINT": return INT8;
            case "REAL": return FLOAT4;
            case "DOUBLE PRECISION": case "FLOAT": return FLOAT8;
            case "NUMERIC": case "DECIMAL": case "DECFLOAT": return NUMERIC;
            case "CHARACTER VARYING": case "VARCHAR": case "CHARACTER LARGE OBJECT": case "VARCHAR_IGNORECASE": return TEXT;
            case "CHARACTER": return BPCHAR;
            case "BINARY VARYING": case "BINARY": case "BINARY LARGE OBJECT": return BYTEA;
            case "DATE": return DATE;
            case "TIME": return TIME;
            case "TIMESTAMP": return TIMESTAMP;
            case "TIMESTAMP WITH TIME ZONE": return TIMESTAMPTZ;
            case "UUID": return UUID;
            case "JSON": return JSON;
            default: return n.startsWith("INTERVAL") ? INTERVAL : null;
        }
    }

    private static PgType fromJdbcType(int jdbcType, String typeName, long precision) {
        switch (jdbcType) {
            case Types.BOOLEAN:
            case Types.BIT:
                return BOOL;
            case Types.TINYINT:
            case Types.SMALLINT:
                return INT2;
            case Types.INTEGER:
                return INT4;
            case Types.BIGINT:
                return INT8;
            case Types.REAL:
                return FLOAT4;
            case Types.FLOAT:
            case Types.DOUBLE:
                return FLOAT8;
            case Types.NUMERIC:
            case Types.DECIMAL:
                return NUMERIC;
            case Types.CHAR:
            case Types.NCHAR:
                return BPCHAR;
            case Types.VARCHAR:
            case Types.NVARCHAR:
                return precision <= 0 || precision >= UNBOUNDED ? TEXT : VARCHAR;
            case Types.LONGVARCHAR:
            case Types.LONGNVARCHAR:
            case Types.CLOB:
            case Types.NCLOB:
                return TEXT;
            case Types.BINARY:
            case Types.VARBINARY:
            case Types.LONGVARBINARY:
            case Types.BLOB:
                return BYTEA;
            case Types.DATE:
                return DATE;
            case Types.TIME:
            case Types.TIME_WITH_TIMEZONE:
                return TIME;
            case Types.TIMESTAMP:
                return TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE:
                return TIMESTAMPTZ;
            case Types.NULL:
                return TEXT;
            case Types.JAVA_OBJECT:
            case Types.OTHER:
                // H2's JAVA_OBJECT: sent as its serialized bytes, never deserialized in the server (no gadget chains)
                return BYTEA;
            default:
                if (typeName != null) {
                    String n = typeName.toUpperCase(java.util.Locale.ROOT);
                    if (n.equals("UUID")) {
                        return UUID;
                    }
                    if (n.equals("DECFLOAT")) {
                        return NUMERIC;
                    }
                }
                return TEXT;
        }
    }
}
