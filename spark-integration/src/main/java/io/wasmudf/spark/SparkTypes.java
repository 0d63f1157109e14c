package io.wasmudf.spark;

import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.SqlTypes;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * The one table of SQL types to Spark types (README, "Scaling out"), and the conversions of
 * values between what Spark hands a Java UDF and what the codecs take. NULL is null both ways.
 * A type missing here is refused at registration (0A000), never on the executors.
 */
final class SparkTypes {
    private SparkTypes() {}

    /** numeric has no fixed scale in PostgreSQL; Spark needs one: decimal(38,18), Spark's own default. */
    static final DecimalType NUMERIC = DataTypes.createDecimalType(38, 18);

    private static final Map<SqlType, DataType> TABLE = Map.ofEntries(
            Map.entry(SqlTypes.BOOLEAN, DataTypes.BooleanType),
            Map.entry(SqlTypes.SMALLINT, DataTypes.ShortType),
            Map.entry(SqlTypes.INTEGER, DataTypes.IntegerType),
            Map.entry(SqlTypes.BIGINT, DataTypes.LongType),
            Map.entry(SqlTypes.REAL, DataTypes.FloatType),
            Map.entry(SqlTypes.DOUBLE_PRECISION, DataTypes.DoubleType),
            Map.entry(SqlTypes.NUMERIC, NUMERIC),
            Map.entry(SqlTypes.TEXT, DataTypes.StringType),
            Map.entry(SqlTypes.BPCHAR, DataTypes.StringType),
            Map.entry(SqlTypes.BYTEA, DataTypes.BinaryType),
            Map.entry(SqlTypes.JSON, DataTypes.StringType),
            Map.entry(SqlTypes.JSONB, DataTypes.StringType),
            Map.entry(SqlTypes.UUID, DataTypes.StringType),
            Map.entry(SqlTypes.DATE, DataTypes.DateType),
            Map.entry(SqlTypes.TIMESTAMP, DataTypes.TimestampNTZType),
            Map.entry(SqlTypes.TIMESTAMPTZ, DataTypes.TimestampType));

    /**
     * The encoder of {@code t}'s Spark type: declared as the UDF's input type, it makes Spark cast
     * arguments the way it casts them for built-in functions (a {@code 3.0} literal is a decimal,
     * which a double parameter must accept), and decides the Java class a value arrives as.
     */
    static ExpressionEncoder<?> encoder(SqlType t) {
        DataType d = TABLE.get(t);
        Encoder<?> e;
        if (d == DataTypes.BooleanType) {
            e = Encoders.BOOLEAN();
        } else if (d == DataTypes.ShortType) {
            e = Encoders.SHORT();
        } else if (d == DataTypes.IntegerType) {
            e = Encoders.INT();
        } else if (d == DataTypes.LongType) {
            e = Encoders.LONG();
        } else if (d == DataTypes.FloatType) {
            e = Encoders.FLOAT();
        } else if (d == DataTypes.DoubleType) {
            e = Encoders.DOUBLE();
        } else if (d == NUMERIC) {
            e = Encoders.DECIMAL();
        } else if (d == DataTypes.BinaryType) {
            e = Encoders.BINARY();
        } else if (d == DataTypes.DateType) {
            e = Encoders.LOCALDATE();
        } else if (d == DataTypes.TimestampNTZType) {
            e = Encoders.LOCALDATETIME();
        } else if (d == DataTypes.TimestampType) {
            e = Encoders.INSTANT();
        } else {
            e = Encoders.STRING();
        }
        return (ExpressionEncoder<?>) e;
    }

    /** The Spark type of {@code t}; 0A000 naming the function for a type without one. */
    static DataType of(SqlType t, String function) throws SQLException {
        DataType d = TABLE.get(t);
        if (d == null) {
            throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, "function " + function + ": type " + t.sqlName()
                    + " has no Spark mapping yet (supported: boolean, smallint, integer, bigint, real, double precision, numeric,"
                    + " text, bpchar, varchar, bytea, json, jsonb, uuid, date, timestamp, timestamptz)");
        }
        return d;
    }

    /** Whether {@code t} has a Spark type. */
    static boolean mapped(SqlType t) {
        return TABLE.containsKey(t);
    }

    /** Whether values of {@code t} arrive from Spark (or go back) as another Java class than the codec's. */
    static boolean converts(SqlType t) {
        return t == SqlTypes.UUID || t == SqlTypes.DATE || t == SqlTypes.TIMESTAMPTZ || t == SqlTypes.NUMERIC || t == SqlTypes.SMALLINT;
    }

    /** A value Spark passes to a Java UDF, as the codec of {@code t} takes it. */
    static Object toSql(SqlType t, Object v) {
        if (v == null) {
            return null;
        }
        if (t == SqlTypes.UUID) {
            return UUID.fromString(v.toString());
        }
        if (t == SqlTypes.DATE) {
            return v instanceof Date d ? d.toLocalDate() : (LocalDate) v;
        }
        if (t == SqlTypes.TIMESTAMP) {
            return v; // TimestampNTZType arrives as LocalDateTime
        }
        if (t == SqlTypes.TIMESTAMPTZ) {
            Instant i = v instanceof Timestamp ts ? ts.toInstant() : (Instant) v;
            return i.atOffset(ZoneOffset.UTC);
        }
        if (t == SqlTypes.SMALLINT && v instanceof Number n && !(v instanceof Short)) {
            return n.shortValue();
        }
        return v;
    }

    /** A codec's value as {@link #encoder} of {@code t} takes it (an aggregate's result). */
    static Object toEncoder(SqlType t, Object v) {
        if (v == null) {
            return null;
        }
        if (t == SqlTypes.UUID) {
            return v.toString();
        }
        if (t == SqlTypes.TIMESTAMPTZ) {
            return ((java.time.OffsetDateTime) v).toInstant();
        }
        if (t == SqlTypes.NUMERIC) {
            return ((BigDecimal) v).setScale(NUMERIC.scale(), java.math.RoundingMode.HALF_UP);
        }
        return v;
    }

    /** A codec's result as Spark takes it back from a Java UDF of the mapped type. */
    static Object toSpark(SqlType t, Object v) {
        if (v == null) {
            return null;
        }
        if (t == SqlTypes.UUID) {
            return v.toString();
        }
        if (t == SqlTypes.DATE) {
            return Date.valueOf((LocalDate) v);
        }
        if (t == SqlTypes.TIMESTAMP) {
            return (LocalDateTime) v;
        }
        if (t == SqlTypes.TIMESTAMPTZ) {
            return Timestamp.from(((java.time.OffsetDateTime) v).toInstant());
        }
        if (t == SqlTypes.NUMERIC) {
            return ((BigDecimal) v).setScale(NUMERIC.scale(), java.math.RoundingMode.HALF_UP);
        }
        return v;
    }
}
