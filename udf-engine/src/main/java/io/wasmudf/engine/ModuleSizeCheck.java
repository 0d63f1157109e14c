package io.wasmudf.engine;

/**
 * Enforces the engine's size caps on raw module bytes before decoding, so an oversized module is
 * refused with a clear message before any large allocation. Reads only section headers and the
 * function and code section counts and body sizes; anything malformed is left for the decoder to
 * report.
 */
final class ModuleSizeCheck {
    private static final int FUNCTION_SECTION = 3;
    private static final int CODE_SECTION = 10;

    private final byte[] b;
    private int pos;

    private ModuleSizeCheck(byte[] b) {
        this.b = b;
    }

    static void check(byte[] wasm, Engine.Options o) {
        if (wasm.length > o.maxModuleBytes()) {
            throw new ResourceLimitException("module is " + wasm.length + " bytes, over the limit of "
                    + o.maxModuleBytes() + " bytes (maxModuleBytes)");
        }
        new ModuleSizeCheck(wasm).scan(o);
    }

    private void scan(Engine.Options o) {
        pos = 8;
        while (pos < b.length) {
            int id = b[pos++] & 0xFF;
            long size = leb();
            if (size < 0 || size > b.length - pos) {
                return;
            }
            int end = pos + (int) size;
            if (id == FUNCTION_SECTION || id == CODE_SECTION) {
                long count = leb();
                if (count > o.maxFunctions()) {
                    throw new ResourceLimitException("module defines " + count + " functions, over the limit of "
                            + o.maxFunctions() + " (maxFunctions)");
                }
                if (id == CODE_SECTION) {
                    for (long i = 0; i < count && pos < end; i++) {
                        long bodySize = leb();
                        if (bodySize < 0) {
                            return;
                        }
                        if (bodySize > o.maxFunctionBodyBytes()) {
                            throw new ResourceLimitException("function body " + i + " is " + bodySize
                                    + " bytes, over the limit of " + o.maxFunctionBodyBytes() + " bytes (maxFunctionBodyBytes)");
                        }
                        pos += (int) Math.min(bodySize, end - pos);
                    }
                }
            }
            pos = end;
        }
    }

    /** An unsigned 32-bit LEB128, or -1 when it is cut off, too long or too large (the decoder reports those). */
    private long leb() {
        long v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (pos >= b.length) {
                return -1;
            }
            int x = b[pos++] & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v > 0xFFFF_FFFFL ? -1 : v;
            }
        }
        return -1;
    }
}
