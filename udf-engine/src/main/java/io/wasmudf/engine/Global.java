package io.wasmudf.engine;

/**
 * A global variable that can be imported or exported. Numeric values are held as raw bits
 * (floats through {@code floatToRawIntBits}, so NaN payloads survive); references as objects.
 */
public final class Global {
    private final ValType type;
    private final boolean mutable;
    private long bits;
    private Object ref;

    public Global(ValType type, boolean mutable) {
        this.type = type;
        this.mutable = mutable;
        this.preciseType = type.code();
    }

    /**
     * The precise (3.0) value type, typed references with canonical type ids (see the engine's
     * {@code TypeCanon}): what import matching compares beyond {@link #type()}.
     */
    int preciseType;

    /** A global holding a boxed value ({@code Integer, Long, Float, Double} or a reference). */
    public static Global of(ValType type, boolean mutable, Object value) {
        Global g = new Global(type, mutable);
        g.setValue(value);
        return g;
    }

    public ValType type() {
        return type;
    }

    public boolean mutable() {
        return mutable;
    }

    /** Raw bits of a numeric value (i32 and f32 in the low 32 bits). */
    public long bits() {
        return bits;
    }

    public void setBits(long bits) {
        this.bits = bits;
    }

    public int getInt() {
        return (int) bits;
    }

    public void setInt(int v) {
        bits = v;
    }

    public long getLong() {
        return bits;
    }

    public void setLong(long v) {
        bits = v;
    }

    public float getFloat() {
        return Float.intBitsToFloat((int) bits);
    }

    public void setFloat(float v) {
        bits = Float.floatToRawIntBits(v);
    }

    public double getDouble() {
        return Double.longBitsToDouble(bits);
    }

    public void setDouble(double v) {
        bits = Double.doubleToRawLongBits(v);
    }

    public Object getRef() {
        return ref;
    }

    public void setRef(Object v) {
        ref = v;
    }

    /** The value boxed by type. */
    public Object value() {
        switch (type) {
            case I32: return getInt();
            case I64: return getLong();
            case F32: return getFloat();
            case F64: return getDouble();
            default: return ref;
        }
    }

    /** Sets the value from a boxed {@code Integer, Long, Float, Double} or reference. */
    public void setValue(Object v) {
        switch (type) {
            case I32: setInt((Integer) v); break;
            case I64: setLong((Long) v); break;
            case F32: setFloat((Float) v); break;
            case F64: setDouble((Double) v); break;
            default: ref = v;
        }
    }
}
