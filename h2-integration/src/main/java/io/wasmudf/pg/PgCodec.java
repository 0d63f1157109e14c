package io.wasmudf.pg;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;

/** Text and binary wire encodings of values, per PostgreSQL type. */
final class PgCodec {
    private PgCodec() {
    }

    private static final LocalDate PG_EPOCH_DATE = LocalDate.of(2000, 1, 1);
    private static final LocalDateTime PG_EPOCH = PG_EPOCH_DATE.atStartOfDay();
    private static final HexFormat HEX = HexFormat.of();

    private static final DateTimeFormatter TIME_IN = new DateTimeFormatterBuilder()
            .appendPattern("HH:mm[:ss]")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter(Locale.ROOT);
    private static final DateTimeFormatter TIMESTAMP_IN = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .append(TIME_IN).optionalEnd()
            .optionalStart().appendOffset("+HH:mm", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter(Locale.ROOT);

    // ---- output -------------------------------------------------------------------------

    /** The text form of a value as PostgreSQL would print it; value is already non-null. */
    static String toText(PgType type, Object value) {
        if (type == PgType.INTERVAL || value instanceof org.h2.api.Interval || value instanceof Duration) {
            return PgInterval.from(value).text();
        }
        if (value instanceof Boolean b) {
            return b ? "t" : "f";
        }
        if (value instanceof byte[] bytes) {
            return "\\x" + HEX.formatHex(bytes);
        }
        if (value instanceof Double d) {
            return formatFloat(d, 15);
        }
        if (value instanceof Float f) {
            return formatFloat(f, 6);
        }
        if (value instanceof BigDecimal bd) {
            return bd.toPlainString();
        }
        if (value instanceof LocalDate d) {
            return formatDate(d) + era(d);
        }
        if (value instanceof LocalDateTime ldt) {
            return formatDate(ldt.toLocalDate()) + " " + formatTime(ldt.toLocalTime()) + era(ldt.toLocalDate());
        }
        if (value instanceof OffsetDateTime odt) {
            return formatDate(odt.toLocalDate()) + " " + formatTime(odt.toLocalTime()) + formatOffset(odt.getOffset()) + era(odt.toLocalDate());
        }
        if (value instanceof LocalTime lt) {
            return formatTime(lt);
        }
        if (value instanceof java.sql.Timestamp ts) {
            return toText(type, ts.toLocalDateTime());
        }
        if (value instanceof java.sql.Date d) {
            return toText(type, d.toLocalDate());
        }
        if (value instanceof java.sql.Time t) {
            return formatTime(t.toLocalTime());
        }
        if (value instanceof Object[] array) {
            return arrayText(array, type.element());
        }
        return value.toString();
    }

    private static String arrayText(Object[] array, PgType element) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < array.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object e = array[i];
            if (e == null) {
                sb.append("NULL");
                continue;
            }
            String s = toText(element == null ? PgType.TEXT : element, e);
            boolean quote = s.isEmpty() || s.equalsIgnoreCase("null") || s.chars().anyMatch(c -> "{},\"\\ \t\n\r\f\u000B".indexOf(c) >= 0);
            if (quote) {
                sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            } else {
                sb.append(s);
            }
        }
        return sb.append('}').toString();
    }

    /** PostgreSQL's ISO date: at least four year digits, no sign; years before 1 AD as "0001 ... BC" (year 0 is 1 BC). */
    private static String formatDate(LocalDate d) {
        int y = d.getYear() <= 0 ? 1 - d.getYear() : d.getYear();
        return String.format(Locale.ROOT, "%04d-%02d-%02d", y, d.getMonthValue(), d.getDayOfMonth());
    }

    private static String era(LocalDate d) {
        return d.getYear() <= 0 ? " BC" : "";
    }

    private static String formatTime(LocalTime t) {
        String s = String.format(Locale.ROOT, "%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
        int micros = t.getNano() / 1000;
        if (micros == 0) {
            return s;
        }
        String frac = String.format(Locale.ROOT, "%06d", micros);
        int end = frac.length();
        while (frac.charAt(end - 1) == '0') {
            end--;
        }
        return s + "." + frac.substring(0, end);
    }

    private static String formatOffset(ZoneOffset offset) {
        int secs = offset.getTotalSeconds();
        char sign = secs < 0 ? '-' : '+';
        secs = Math.abs(secs);
        String s = String.format(Locale.ROOT, "%c%02d", sign, secs / 3600);
        if (secs % 3600 != 0) {
            s += String.format(Locale.ROOT, ":%02d", secs % 3600 / 60);
        }
        return s;
    }

    /**
     * PostgreSQL's shortest-exact float output: plain notation unless the decimal exponent is below
     * -4 or at least {@code digits} (15 for float8, 6 for float4), then {@code d.ddde+XX}.
     */
    static String formatFloat(double d, int digits) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (Double.doubleToRawLongBits(d) < 0) ? "-0" : "0";
        }
        // Float.toString/Double.toString give the shortest digits that round-trip.
        String shortest = digits == 6 ? Float.toString((float) d) : Double.toString(d);
        BigDecimal bd = new BigDecimal(shortest).stripTrailingZeros();
        int exponent = bd.precision() - bd.scale() - 1;
        if (exponent < -4 || exponent >= digits) {
            String unscaled = bd.unscaledValue().abs().toString();
            StringBuilder sb = new StringBuilder();
            if (bd.signum() < 0) {
                sb.append('-');
            }
            sb.append(unscaled.charAt(0));
            if (unscaled.length() > 1) {
                sb.append('.').append(unscaled, 1, unscaled.length());
            }
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                sb.append('0');
            }
            return sb.append(abs).toString();
        }
        return bd.toPlainString();
    }

    /** The binary form of a non-null value of the given type. */
    static byte[] toBinary(PgType type, Object value) {
        switch (type) {
            case BOOL:
                return new byte[] {(byte) (asBoolean(value) ? 1 : 0)};
            case INT2:
                return ByteBuffer.allocate(2).putShort(((Number) value).shortValue()).array();
            case INT4:
            case OID:
                return ByteBuffer.allocate(4).putInt(((Number) value).intValue()).array();
            case INT8:
                return ByteBuffer.allocate(8).putLong(((Number) value).longValue()).array();
            case FLOAT4:
                return ByteBuffer.allocate(4).putFloat(((Number) value).floatValue()).array();
            case FLOAT8:
                return ByteBuffer.allocate(8).putDouble(((Number) value).doubleValue()).array();
            case BYTEA:
                return value instanceof byte[] b ? b : toText(type, value).getBytes(StandardCharsets.UTF_8);
            case NUMERIC:
                return numericToBinary(value instanceof BigDecimal bd ? bd : new BigDecimal(value.toString()));
            case DATE: {
                LocalDate d = value instanceof java.sql.Date sd ? sd.toLocalDate() : (LocalDate) value;
                return ByteBuffer.allocate(4).putInt((int) ChronoUnit.DAYS.between(PG_EPOCH_DATE, d)).array();
            }
            case TIMESTAMP: {
                LocalDateTime t = value instanceof java.sql.Timestamp ts ? ts.toLocalDateTime() : (LocalDateTime) value;
                return ByteBuffer.allocate(8).putLong(micros(PG_EPOCH, t)).array();
            }
            case TIMESTAMPTZ: {
                OffsetDateTime t = (OffsetDateTime) value;
                LocalDateTime utc = t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
                return ByteBuffer.allocate(8).putLong(micros(PG_EPOCH, utc)).array();
            }
            case TIME: {
                LocalTime t = value instanceof java.sql.Time st ? st.toLocalTime() : (LocalTime) value;
                return ByteBuffer.allocate(8).putLong(t.toNanoOfDay() / 1000).array();
            }
            case INTERVAL:
                return PgInterval.from(value).binary();
            case JSONB: {
                // jsonb's binary form: a version byte (1), then the text
                byte[] text = toText(type, value).getBytes(StandardCharsets.UTF_8);
                byte[] out = new byte[text.length + 1];
                out[0] = 1;
                System.arraycopy(text, 0, out, 1, text.length);
                return out;
            }
            case UUID: {
                java.util.UUID u = value instanceof java.util.UUID x ? x : java.util.UUID.fromString(value.toString());
                return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
            }
            case TEXT_ARRAY:
                return arrayToBinary((Object[]) value, PgType.TEXT);
            case NAME_ARRAY:
                return arrayToBinary((Object[]) value, PgType.NAME);
            case CHAR_ARRAY:
                return arrayToBinary((Object[]) value, PgType.CHAR);
            case OID_ARRAY:
                return arrayToBinary((Object[]) value, PgType.OID);
            case OIDVECTOR:
                return arrayToBinary(vectorElements(value), PgType.OID);
            case INT2VECTOR:
                return arrayToBinary(vectorElements(value), PgType.INT2);
            default:
                if (type.element() != null && value instanceof Object[] array) {
                    return arrayToBinary(array, type.element());
                }
                return toText(type, value).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** oidvector/int2vector values are kept as their text form, space-separated numbers. */
    private static Object[] vectorElements(Object value) {
        String s = value.toString().trim();
        return s.isEmpty() ? new Object[0] : java.util.Arrays.stream(s.split("\\s+")).map(Long::valueOf).toArray();
    }

    /** The binary array format: ndim, has-nulls flag, element OID, (length, lower bound) per dimension, elements. */
    static byte[] arrayToBinary(Object[] values, PgType element) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        boolean hasNull = java.util.Arrays.stream(values).anyMatch(java.util.Objects::isNull);
        ByteBuffer header = ByteBuffer.allocate(20);
        header.putInt(values.length == 0 ? 0 : 1).putInt(hasNull ? 1 : 0).putInt(element.oid);
        if (values.length > 0) {
            header.putInt(values.length).putInt(1);
        }
        out.write(header.array(), 0, header.position());
        for (Object v : values) {
            if (v == null) {
                out.writeBytes(ByteBuffer.allocate(4).putInt(-1).array());
            } else {
                byte[] b = toBinary(element, element.isText() ? v.toString() : v);
                out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
                out.writeBytes(b);
            }
        }
        return out.toByteArray();
    }

    private static long micros(LocalDateTime from, LocalDateTime to) {
        Duration d = Duration.between(from, to);
        return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1000);
    }

    private static boolean asBoolean(Object value) {
        return value instanceof Boolean b ? b : parseBool(value.toString());
    }

    /** PostgreSQL's numeric binary format: ndigits, weight, sign, dscale, base-10000 digits. */
    static byte[] numericToBinary(BigDecimal value) {
        if (value.scale() < 0) {
            value = value.setScale(0);
        }
        int dscale = value.scale();
        String plain = value.abs().toPlainString();
        int dot = plain.indexOf('.');
        String intPart = dot < 0 ? plain : plain.substring(0, dot);
        String fracPart = dot < 0 ? "" : plain.substring(dot + 1);
        if (intPart.equals("0")) {
            intPart = "";
        }
        intPart = "0".repeat((4 - intPart.length() % 4) % 4) + intPart;
        fracPart = fracPart + "0".repeat((4 - fracPart.length() % 4) % 4);
        int intGroups = intPart.length() / 4;
        int total = intGroups + fracPart.length() / 4;
        short[] digits = new short[total];
        String all = intPart + fracPart;
        for (int i = 0; i < total; i++) {
            digits[i] = Short.parseShort(all.substring(i * 4, i * 4 + 4));
        }
        int first = 0;
        while (first < total && digits[first] == 0) {
            first++;
        }
        int last = total;
        while (last > first && digits[last - 1] == 0) {
            last--;
        }
        int ndigits = last - first;
        int weight = ndigits == 0 ? 0 : intGroups - 1 - first;
        ByteBuffer buf = ByteBuffer.allocate(8 + 2 * ndigits);
        buf.putShort((short) ndigits).putShort((short) weight)
                .putShort((short) (value.signum() < 0 ? 0x4000 : 0)).putShort((short) dscale);
        for (int i = first; i < last; i++) {
            buf.putShort(digits[i]);
        }
        return buf.array();
    }

    static BigDecimal numericFromBinary(byte[] data) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        int ndigits = buf.getShort();
        int weight = buf.getShort();
        int sign = buf.getShort() & 0xFFFF;
        int dscale = buf.getShort();
        if (sign == 0xC000) {
            throw new IllegalArgumentException("NaN is not supported for numeric parameters");
        }
        if (ndigits < 0 || data.length != 8 + 2 * ndigits || dscale < 0) {
            throw new IllegalArgumentException("invalid numeric binary value");
        }
        BigInteger unscaled = BigInteger.ZERO;
        BigInteger base = BigInteger.valueOf(10000);
        for (int i = 0; i < ndigits; i++) {
            unscaled = unscaled.multiply(base).add(BigInteger.valueOf(buf.getShort()));
        }
        // unscaled is in units of 10000^(weight - ndigits + 1)
        BigDecimal v = new BigDecimal(unscaled).scaleByPowerOfTen(4 * (weight - ndigits + 1));
        v = v.setScale(dscale, java.math.RoundingMode.HALF_UP);
        return sign == 0x4000 ? v.negate() : v;
    }

    // ---- input (parameters) -------------------------------------------------------------

    /** Decodes a text-format parameter into the Java value to bind; unknown types stay strings. */
    static Object fromText(PgType type, String s) {
        if (type == null) {
            return s;
        }
        String t = s.trim();
        switch (type) {
            case BOOL:
                return parseBool(t);
            case INT2:
                return Short.parseShort(t);
            case INT4:
                return Integer.parseInt(t);
            case INT8:
                return Long.parseLong(t);
            case OID:
                return Long.parseLong(t);
            case FLOAT4:
                return (float) parseDouble(t);
            case FLOAT8:
                return parseDouble(t);
            case NUMERIC:
                return new BigDecimal(t);
            case BYTEA:
                return parseBytea(s);
            case DATE:
                // pgJDBC's setDate sends "2023-01-02 +00"; the zone means nothing to a date
                return LocalDate.parse(t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) : t);
            case TIME:
                return LocalTime.parse(t, TIME_IN);
            case TIMESTAMP:
                return LocalDateTime.parse(stripOffset(t).strip(), TIMESTAMP_IN);
            case TIMESTAMPTZ:
                return parseTimestampTz(t.replaceFirst(" ([+-]\\d\\d(:?\\d\\d)?)$", "$1"));
            case UUID:
                return java.util.UUID.fromString(t);
            default:
                return type.element() != null ? PgArrayInput.fromText(type.element(), s) : s;
        }
    }

    private static String stripOffset(String t) {
        // pgJDBC may send a zone with timestamp parameters; a timestamp without time zone ignores it
        int tpos = Math.max(t.indexOf(' '), t.indexOf('T'));
        if (tpos < 0) {
            return t;
        }
        int plus = t.indexOf('+', tpos);
        int minus = t.indexOf('-', tpos);
        int cut = plus >= 0 ? plus : minus;
        return cut >= 0 ? t.substring(0, cut) : t;
    }

    private static OffsetDateTime parseTimestampTz(String t) {
        var parsed = TIMESTAMP_IN.parse(t);
        LocalDate date = LocalDate.from(parsed);
        LocalTime time = parsed.isSupported(ChronoField.HOUR_OF_DAY) ? LocalTime.from(parsed) : LocalTime.MIDNIGHT;
        ZoneOffset off = parsed.isSupported(ChronoField.OFFSET_SECONDS) ? ZoneOffset.from(parsed) : ZoneOffset.UTC;
        return OffsetDateTime.of(date, time, off);
    }

    private static double parseDouble(String t) {
        switch (t.toLowerCase(Locale.ROOT)) {
            case "nan":
                return Double.NaN;
            case "infinity":
            case "inf":
            case "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-infinity":
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(t);
        }
    }

    static boolean parseBool(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "t": case "true": case "y": case "yes": case "on": case "1":
                return true;
            case "f": case "false": case "n": case "no": case "off": case "0":
                return false;
            default:
                throw new IllegalArgumentException("invalid input syntax for type boolean: \"" + s + "\"");
        }
    }

    /** bytea text input: hex ({@code \x0102}) or the traditional escape format. */
    static byte[] parseBytea(String s) {
        if (s.startsWith("\\x") || s.startsWith("\\X")) {
            String hex = s.substring(2).replaceAll("\\s", "");
            if (hex.length() % 2 != 0) {
                throw new IllegalArgumentException("invalid hexadecimal data: odd number of digits");
            }
            return HEX.parseHex(hex);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            } else if (i + 1 < s.length() && s.charAt(i + 1) == '\\') {
                out.write('\\');
                i++;
            } else if (i + 3 < s.length() && isOctal(s, i + 1)) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                throw new IllegalArgumentException("invalid input syntax for type bytea");
            }
        }
        return out.toByteArray();
    }

    private static boolean isOctal(String s, int from) {
        for (int i = from; i < from + 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }

    /** Decodes a binary-format parameter. */
    static Object fromBinary(PgType type, byte[] data) throws SQLException {
        if (type == null) {
            return data;
        }
        ByteBuffer buf = ByteBuffer.wrap(data);
        try {
            switch (type) {
                case BOOL:
                    expect(data, 1);
                    return data[0] != 0;
                case INT2:
                    expect(data, 2);
                    return buf.getShort();
                case INT4:
                    expect(data, 4);
                    return buf.getInt();
                case OID:
                    expect(data, 4);
                    return buf.getInt() & 0xFFFFFFFFL;
                case INT8:
                    expect(data, 8);
                    return buf.getLong();
                case FLOAT4:
                    expect(data, 4);
                    return buf.getFloat();
                case FLOAT8:
                    expect(data, 8);
                    return buf.getDouble();
                case BYTEA:
                    return data;
                case NUMERIC:
                    return numericFromBinary(data);
                case DATE:
                    expect(data, 4);
                    return PG_EPOCH_DATE.plusDays(buf.getInt());
                case TIMESTAMP:
                    expect(data, 8);
                    return PG_EPOCH.plus(buf.getLong(), ChronoUnit.MICROS);
                case TIMESTAMPTZ:
                    expect(data, 8);
                    return PG_EPOCH.plus(buf.getLong(), ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
                case TIME:
                    expect(data, 8);
                    return LocalTime.ofNanoOfDay(buf.getLong() * 1000);
                case UUID:
                    expect(data, 16);
                    return new java.util.UUID(buf.getLong(), buf.getLong());
                case JSONB:
                    return new String(data, 1, data.length - 1, StandardCharsets.UTF_8);
                default:
                    if (type.element() != null) {
                        return PgArrayInput.fromBinary(type.element(), data);
                    }
                    return new String(data, StandardCharsets.UTF_8);
            }
        } catch (RuntimeException e) {
            throw new SQLException("incorrect binary data format in bind parameter of type " + type.typname, "22P03", e);
        }
    }

    private static void expect(byte[] data, int length) {
        if (data.length != length) {
            throw new IllegalArgumentException("expected " + length + " bytes, got " + data.length);
        }
    }
}
