package io.wasmudf.sql;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ValType;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The ABI layout calculator: the core WebAssembly signature a SQL signature requires of its
 * export (docs/ABI.md), computed from each type's codec alone. Parameters flatten to their
 * {@link SqlType#flat} values, behind an {@code i32 is_some} discriminant when nullable
 * ({@code option<T>}, CALLED ON NULL INPUT); a STRICT result of one flat value is returned
 * directly; any other result comes back through a return area ({@code option<T>}: discriminant
 * {@code u8} at 0, payload at T's alignment; a list such as text: {@code (ptr, len)}), except an
 * {@code option<T>} of a 32-bit T that the export returns packed into one i64
 * ({@link #packedOption}).
 *
 * @param params      the SQL parameter types
 * @param result      the SQL result type
 * @param strict      STRICT (plain values) or CALLED ON NULL INPUT ({@code option<T>} everywhere)
 * @param form        how the result comes back
 * @param core        the export's core type
 * @param firstSlots  for each parameter, the index of its first core parameter (its discriminant when not strict)
 * @param paramLabels one label per core parameter, for messages
 * @param resultLabel the core result's label, for messages
 */
public record AbiLayout(List<SqlType> params, SqlType result, boolean strict, ResultForm form, FuncType core,
                        List<Integer> firstSlots, List<String> paramLabels, String resultLabel) {

    /** How a result comes back from the export. */
    public enum ResultForm {
        /** The export's single core result is the value (STRICT, one flat value). */
        DIRECT,
        /** The export returns an {@code i32} pointer to a return area holding the value or its option. */
        RETURN_AREA,
        /** The export returns an {@code option<T>} packed into an i64: 0 for NULL, {@code 1 << 32 | bits}. */
        PACKED_OPTION
    }

    public AbiLayout {
        params = List.copyOf(params);
        firstSlots = List.copyOf(firstSlots);
        paramLabels = List.copyOf(paramLabels);
    }

    /** The canonical ABI's layout. */
    public static AbiLayout of(List<SqlType> params, SqlType result, boolean strict) {
        return of(params, result, strict, false);
    }

    /**
     * The canonical layout, or with {@code packedOption} the export returning its {@code option<T>}
     * result as one i64: 0 for NULL, {@code 1 << 32 | bits}, bits being T's i32 (or f32 bit
     * pattern). Only for {@link #canPackOption} results.
     */
    public static AbiLayout of(List<SqlType> params, SqlType result, boolean strict, boolean packedOption) {
        if (packedOption && !canPackOption(result, strict)) {
            throw new IllegalArgumentException("a " + (strict ? "STRICT " : "") + result.sqlName() + " result cannot be a packed option");
        }
        List<ValType> core = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Integer> first = new ArrayList<>();
        for (SqlType p : params) {
            first.add(core.size());
            if (!strict) {
                core.add(ValType.I32);
                labels.add("i32 is_some");
            }
            List<ValType> flat = p.flat();
            boolean pair = p.lowersIntoMemory() && flat.size() == 2;
            for (int i = 0; i < flat.size(); i++) {
                core.add(flat.get(i));
                labels.add(pair ? (i == 0 ? "i32 ptr" : "i32 len") : flat.get(i).toString());
            }
        }
        ResultForm form = packedOption ? ResultForm.PACKED_OPTION
                : strict && result.flat().size() == 1 ? ResultForm.DIRECT : ResultForm.RETURN_AREA;
        ValType r = switch (form) {
            case DIRECT -> result.flat().get(0);
            case RETURN_AREA -> ValType.I32;
            case PACKED_OPTION -> ValType.I64;
        };
        String label = switch (form) {
            case DIRECT -> r.toString();
            case RETURN_AREA -> "i32 retptr";
            case PACKED_OPTION -> PACKED_LABEL;
        };
        return new AbiLayout(params, result, strict, form, FuncType.of(core, List.of(r)), first, labels, label);
    }

    private static final String PACKED_LABEL = "i64 option (0 for NULL, 1 << 32 | value)";

    /** Whether a result may come back as a packed i64 option: CALLED ON NULL INPUT, of a type that packs. */
    public static boolean canPackOption(SqlType result, boolean strict) {
        return !strict && result.packsIntoI64();
    }

    /**
     * This layout with every {@code uuid} and {@code bytea} value, parameter and result, passed as
     * one {@code v128} ({@link SqlTypes#vectorForm}, docs/ABI.md "v128"), or null when it has no
     * such value or already is that form. An export whose core type is this form's takes its
     * values so (the catalog records it as it records a packed option).
     */
    public AbiLayout vectorForm() {
        List<SqlType> ps = params.stream().map(SqlTypes::vectorForm).toList();
        SqlType r = SqlTypes.vectorForm(result);
        if (ps.equals(params) && r == result) {
            return null;
        }
        return of(ps, r, strict, false);
    }

    /** True when uuid/bytea values pass as v128 ({@link #vectorForm}). */
    public boolean isVectorForm() {
        return result instanceof io.wasmudf.sql.types.V128Type || params.stream().anyMatch(p -> p instanceof io.wasmudf.sql.types.V128Type);
    }

    /** True when the export returns its {@code option<T>} result packed into an i64. */
    public boolean packedOption() {
        return form == ResultForm.PACKED_OPTION;
    }

    /** True when the export returns a pointer to a return area instead of the value itself. */
    public boolean usesReturnArea() {
        return form == ResultForm.RETURN_AREA;
    }

    /** Where an {@code option<T>} result's payload starts in its return area: after the u8 discriminant, at T's alignment. */
    public int optionPayloadOffset() {
        return optionPayloadOffset(result);
    }

    /** {@link #optionPayloadOffset()} for a payload of type {@code t}. */
    public static int optionPayloadOffset(SqlType t) {
        int a = t.alignment();
        return (1 + a - 1) / a * a;
    }

    /** Bytes of the return area (0 when none): the value, or the option's discriminant and payload. */
    public int returnAreaSize() {
        if (form != ResultForm.RETURN_AREA) {
            return 0;
        }
        int size = strict ? result.size() : optionPayloadOffset() + result.size();
        int a = result.alignment();
        return (size + a - 1) / a * a;
    }

    /** True when arguments are copied into guest memory, which needs {@code cabi_realloc}. */
    public boolean needsRealloc() {
        return params.stream().anyMatch(SqlType::lowersIntoMemory);
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
        if (packedOption() || !canPackOption(result, strict)) {
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
