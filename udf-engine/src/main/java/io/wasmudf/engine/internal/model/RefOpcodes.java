package io.wasmudf.engine.internal.model;

/**
 * Opcodes of typed function references and GC (3.0), kept apart from {@link Opcodes}: the
 * {@code 0xFB}-prefixed GC instructions are stored as {@code 0xFB00 | subopcode}.
 */
public final class RefOpcodes {
    private RefOpcodes() {}

    public static final int CALL_REF = 0x14;
    public static final int RETURN_CALL_REF = 0x15;
    public static final int REF_EQ = 0xD3;
    public static final int REF_AS_NON_NULL = 0xD4;
    public static final int BR_ON_NULL = 0xD5;
    public static final int BR_ON_NON_NULL = 0xD6;

    public static final int STRUCT_NEW = 0xFB00;
    public static final int STRUCT_NEW_DEFAULT = 0xFB01;
    public static final int STRUCT_GET = 0xFB02;
    public static final int STRUCT_GET_S = 0xFB03;
    public static final int STRUCT_GET_U = 0xFB04;
    public static final int STRUCT_SET = 0xFB05;
    public static final int ARRAY_NEW = 0xFB06;
    public static final int ARRAY_NEW_DEFAULT = 0xFB07;
    public static final int ARRAY_NEW_FIXED = 0xFB08;
    public static final int ARRAY_NEW_DATA = 0xFB09;
    public static final int ARRAY_NEW_ELEM = 0xFB0A;
    public static final int ARRAY_GET = 0xFB0B;
    public static final int ARRAY_GET_S = 0xFB0C;
    public static final int ARRAY_GET_U = 0xFB0D;
    public static final int ARRAY_SET = 0xFB0E;
    public static final int ARRAY_LEN = 0xFB0F;
    public static final int ARRAY_FILL = 0xFB10;
    public static final int ARRAY_COPY = 0xFB11;
    public static final int ARRAY_INIT_DATA = 0xFB12;
    public static final int ARRAY_INIT_ELEM = 0xFB13;
    public static final int REF_TEST = 0xFB14;
    public static final int REF_TEST_NULL = 0xFB15;
    public static final int REF_CAST = 0xFB16;
    public static final int REF_CAST_NULL = 0xFB17;
    public static final int BR_ON_CAST = 0xFB18;
    public static final int BR_ON_CAST_FAIL = 0xFB19;
    public static final int ANY_CONVERT_EXTERN = 0xFB1A;
    public static final int EXTERN_CONVERT_ANY = 0xFB1B;
    public static final int REF_I31 = 0xFB1C;
    public static final int I31_GET_S = 0xFB1D;
    public static final int I31_GET_U = 0xFB1E;

    /** Whether {@code op} is one of these (the dispatchers' hooks ask before handing an instruction over). */
    public static boolean isRefOp(int op) {
        return op == CALL_REF || op >= REF_EQ && op <= BR_ON_NON_NULL || op >= STRUCT_NEW && op <= I31_GET_U;
    }
}
