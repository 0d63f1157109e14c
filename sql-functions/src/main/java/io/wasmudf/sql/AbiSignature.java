package io.wasmudf.sql;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ValType;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The core WebAssembly signature a SQL function declaration requires of its export under the
 * canonical ABI (docs/ABI.md): numbers flatten to one value, text/bytea to {@code (ptr, len)},
 * {@code option<T>} (CALLED ON NULL INPUT) to {@code (i32 is_some, T…)}; a result that does not
 * flatten to a single value comes back through a return-area pointer, except an {@code option<T>}
 * of a 32-bit T that the export returns packed into one i64 ({@link #packedOption}).
 */
public record AbiSignature(List<SqlType> params, SqlType result, boolean strict, FuncType core, List<String> paramLabels, String resultLabel,
                           boolean packedOption) {

    public AbiSignature {
        params = List.copyOf(params);
        paramLabels = List.copyOf(paramLabels);
    }

    /** The canonical ABI's signature. */
    public static AbiSignature of(List<SqlType> params, SqlType result, boolean strict) {
        return of(params, result, strict, false);
    }

    /**
     * The canonical signature, or with {@code packedOption} the export returning its
     * {@code option<T>} result as one i64: 0 for NULL, {@code 1 << 32 | bits} for a value, bits
     * being T's i32 (or f32 bit pattern). Only for {@link #canPackOption} results.
     */
    public static AbiSignature of(List<SqlType> params, SqlType result, boolean strict, boolean packedOption) {
        if (packedOption && !canPackOption(result, strict)) {
            throw new IllegalArgumentException("a " + (strict ? "STRICT " : "") + result.sqlName() + " result cannot be a packed option");
        }
        List<ValType> core = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (SqlType p : params) {
            if (!strict) {
                core.add(ValType.I32);
                labels.add("i32 is_some");
            }
            if (p.isPointer()) {
                core.add(ValType.I32);
                core.add(ValType.I32);
                labels.add("i32 ptr");
                labels.add("i32 len");
            } else {
                core.add(p.scalar());
                labels.add(p.scalar().toString());
            }
        }
        if (packedOption) {
            return new AbiSignature(params, result, strict, FuncType.of(core, List.of(ValType.I64)), labels, PACKED_LABEL, true);
        }
        boolean returnArea = !strict || result.isPointer();
        ValType r = returnArea ? ValType.I32 : result.scalar();
        return new AbiSignature(params, result, strict, FuncType.of(core, List.of(r)), labels, returnArea ? "i32 retptr" : r.toString(), false);
    }

    private static final String PACKED_LABEL = "i64 option (0 for NULL, 1 << 32 | value)";

    /** Whether a result may come back as a packed i64 option: CALLED ON NULL INPUT, of a 32-bit scalar type. */
    public static boolean canPackOption(SqlType result, boolean strict) {
        return !strict && !result.isPointer() && (result.scalar() == ValType.I32 || result.scalar() == ValType.F32);
    }

    /** True when the export returns a pointer to a return area instead of the value itself. */
    public boolean usesReturnArea() {
        return (!strict || result.isPointer()) && !packedOption;
    }

    /** True when arguments are copied into guest memory, which needs {@code cabi_realloc}. */
    public boolean needsRealloc() {
        return params.stream().anyMatch(SqlType::isPointer);
    }

    /** True when the host reads or writes linear memory, which needs an exported {@code memory}. */
    public boolean needsMemory() {
        return needsRealloc() || usesReturnArea();
    }

    /** The type {@code cabi_post_<export>} must have: the export's results as parameters, no results. */
    public FuncType postType() {
        return FuncType.of(core.results(), List.of());
    }

    /** The SQL side, e.g. {@code (integer, text) -> text}, with the null behaviour when not strict. */
    public String describeSql() {
        StringJoiner j = new StringJoiner(", ", params.size() == 1 ? "" : "(", params.size() == 1 ? "" : ")");
        params.forEach(p -> j.add(p.sqlName()));
        return j + " -> " + result.sqlName() + (strict ? "" : " (CALLED ON NULL INPUT)");
    }

    /** The required core signature with roles, e.g. {@code (i32 ptr, i32 len) -> i32 retptr}. */
    public String describeCore() {
        return "(" + String.join(", ", paramLabels) + ") -> " + resultLabel;
    }

    /** {@link #describeCore}, and the packed form where the result allows it. */
    public String describeAccepted() {
        if (packedOption || !canPackOption(result, strict)) {
            return describeCore();
        }
        return describeCore() + " or, packed, -> " + PACKED_LABEL;
    }

    /** A core signature as {@code (i32, i32) -> i32}. */
    public static String describe(FuncType t) {
        StringJoiner p = new StringJoiner(", ", "(", ")");
        t.params().forEach(v -> p.add(v.toString()));
        String r;
        if (t.results().isEmpty()) {
            r = "()";
        } else if (t.results().size() == 1) {
            r = t.results().get(0).toString();
        } else {
            StringJoiner rs = new StringJoiner(", ", "(", ")");
            t.results().forEach(v -> rs.add(v.toString()));
            r = rs.toString();
        }
        return p + " -> " + r;
    }
}
