package io.wasmudf.sql;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.ExportInfo;
import io.wasmudf.engine.ExternKind;
import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.HostEnvironment;
import io.wasmudf.engine.UnsatisfiedImportsException;
import io.wasmudf.engine.ValType;
import java.sql.SQLException;
import java.util.List;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * Checks at CREATE FUNCTION time that a compiled module can serve a declaration: every import is
 * one the host environment provides (WASI preview1, AssemblyScript's {@code env}, {@code wasmudf};
 * docs/WASI.md), the export exists with exactly the core signature the ABI requires (or its packed-option
 * or v128 form), and {@code memory} and
 * {@code cabi_realloc} exist when the signature needs them. Every failure is a 42P13.
 */
public final class ModuleCheck {
    /** {@code cabi_realloc(old_ptr, old_size, align, new_size) -> ptr}. */
    public static final FuncType REALLOC_TYPE = FuncType.of(List.of(ValType.I32, ValType.I32, ValType.I32, ValType.I32), List.of(ValType.I32));
    public static final String MEMORY = "memory";
    public static final String REALLOC = "cabi_realloc";
    public static final String POST_PREFIX = "cabi_post_";
    /**
     * An export of this name, a function {@code () -> ()}, declares that the module takes text
     * arguments in the canonical ABI's {@code latin1+utf16} encoding instead of UTF-8 (results stay
     * UTF-8). An export, not a custom section, because C toolchains emit exports readily.
     */
    public static final String LATIN1_UTF16_ARGS = "wasmudf:text-args:latin1+utf16";

    /** Whether {@code module} declares {@link #LATIN1_UTF16_ARGS}. */
    public static boolean declaresLatin1Utf16Args(CompiledModule module) {
        return find(module, LATIN1_UTF16_ARGS) != null;
    }

    /** Which imports exist does not depend on grants or output, so one default environment answers for all. */
    private static final HostEnvironment HOST = HostEnvironment.builder().build();

    private ModuleCheck() {}

    /** Whether instances of {@code module} need the host environment: it imports something, or is a WASI reactor/command. */
    public static boolean needsHost(CompiledModule module) {
        return !module.imports().isEmpty() || find(module, "_initialize") != null || find(module, "_start") != null;
    }

    /**
     * Checks {@code module} against {@code abi} for function {@code function} (as shown in
     * messages); returns the signature the export has: {@code abi}, its packed-option form or its
     * v128 form ({@link AbiLayout#vectorForm}).
     */
    public static AbiLayout check(String function, CompiledModule module, String export, AbiLayout abi) throws SQLException {
        List<UnsatisfiedImportsException.Unsatisfied> missing = HOST.unsatisfiedImports(module);
        if (!missing.isEmpty()) {
            // all of them at once: a user fixing one at a time would need as many round trips
            throw invalid(function, new UnsatisfiedImportsException(missing).getMessage()
                    + " (modules may import WASI preview1, AssemblyScript's env and wasmudf; see docs/WASI.md)");
        }
        ExportInfo fn = find(module, export);
        if (fn == null) {
            String all = module.exports().stream().filter(e -> e.kind() == ExternKind.FUNC).map(e -> "\"" + e.name() + "\"")
                    .collect(Collectors.joining(", "));
            throw invalid(function, "module has no export \"" + export + "\"" + (all.isEmpty() ? " (it exports no functions)" : " (function exports: " + all + ")"));
        }
        if (fn.kind() != ExternKind.FUNC) {
            throw invalid(function, "export \"" + export + "\" is a " + fn.kind().name().toLowerCase() + ", not a function");
        }
        if (!fn.funcType().equals(abi.core())) {
            AbiLayout packed = packedForm(abi);
            AbiLayout vector = abi.vectorForm();
            if (vector != null && fn.funcType().equals(vector.core())) {
                packed = vector; // uuid/bytea values as v128
            }
            if (packed == null || !fn.funcType().equals(packed.core())) {
                throw SqlStates.hinted(SqlStates.INVALID_FUNCTION_DEFINITION, "function " + function + ": export \"" + export + "\" has signature "
                        + AbiLayout.describe(fn.funcType()) + " but " + abi.describeSql() + " needs " + abi.describeAccepted(),
                        matchingDeclaration(function, fn.funcType(), abi));
            }
            abi = packed;
        }
        if (abi.needsMemory()) {
            ExportInfo mem = find(module, MEMORY);
            if (mem == null || mem.kind() != ExternKind.MEMORY) {
                throw invalid(function, "module does not export its linear memory as \"memory\", which " + abi.describeSql() + " needs");
            }
        }
        if (abi.needsRealloc()) {
            ExportInfo realloc = find(module, REALLOC);
            if (realloc == null || realloc.kind() != ExternKind.FUNC) {
                throw invalid(function, "module does not export \"" + REALLOC + "\" (old_ptr, old_size, align, new_size) -> ptr, which "
                        + abi.describeSql() + " needs to pass its arguments in memory");
            }
            if (!realloc.funcType().equals(REALLOC_TYPE)) {
                throw invalid(function, "export \"" + REALLOC + "\" has signature " + AbiLayout.describe(realloc.funcType())
                        + " but must be " + AbiLayout.describe(REALLOC_TYPE));
            }
        }
        ExportInfo marker = find(module, LATIN1_UTF16_ARGS);
        if (marker != null && (marker.kind() != ExternKind.FUNC || !marker.funcType().equals(FuncType.of(List.of(), List.of())))) {
            throw invalid(function, "export \"" + LATIN1_UTF16_ARGS + "\" must be a function () -> ()");
        }
        ExportInfo post = find(module, POST_PREFIX + export);
        if (post != null && (post.kind() != ExternKind.FUNC || !post.funcType().equals(abi.postType()))) {
            throw invalid(function, "export \"" + POST_PREFIX + export + "\" must be a function " + AbiLayout.describe(abi.postType()));
        }
        return abi;
    }

    /** Whether {@code export} is a function of exactly {@code abi}'s core type, or of its packed-option form. */
    public static boolean exportMatches(CompiledModule module, String export, AbiLayout abi) {
        ExportInfo fn = find(module, export);
        return fn != null && fn.kind() == ExternKind.FUNC && matches(fn.funcType(), abi);
    }

    private static boolean matches(FuncType type, AbiLayout abi) {
        AbiLayout packed = packedForm(abi);
        AbiLayout vector = abi.vectorForm();
        return type.equals(abi.core()) || packed != null && type.equals(packed.core()) || vector != null && type.equals(vector.core());
    }

    private static AbiLayout packedForm(AbiLayout abi) {
        return AbiLayout.canPackOption(abi.result(), abi.strict()) && !abi.packedOption()
                ? AbiLayout.of(abi.params(), abi.result(), abi.strict(), true) : null;
    }

    /**
     * The HINT of a signature mismatch: the declaration the export does match. The same types
     * with the other null-input behaviour when that fits; else the plain (STRICT) declaration
     * its core values read as, since that is what a hand-written export most often is.
     */
    static String matchingDeclaration(String function, FuncType export, AbiLayout declared) {
        AbiLayout other = AbiLayout.of(declared.params(), declared.result(), !declared.strict());
        if (matches(export, other)) {
            return declared.strict()
                    ? "The export takes option<T> arguments (an i32 is_some before each value): declare the function CALLED ON NULL INPUT instead of STRICT."
                    : "The export takes plain values, which cannot be NULL: write STRICT instead of CALLED ON NULL INPUT (NULL arguments then give NULL without a call).";
        }
        if (export.results().size() != 1) {
            return "A wasm function's export returns exactly one value (its result, or an i32 pointer to a return area); this one returns "
                    + export.results().size() + ".";
        }
        StringJoiner params = new StringJoiner(", ", "(", ")");
        export.params().forEach(v -> params.add(plainType(v)));
        return "The export's signature matches " + function + params + " RETURNS " + plainType(export.results().get(0))
                + " STRICT (or another type with the same core values: docs/ABI.md lists each type's).";
    }

    /** The SQL type whose STRICT value is {@code v} itself. */
    private static String plainType(ValType v) {
        return switch (v) {
            case I32 -> "integer";
            case I64 -> "bigint";
            case F32 -> "real";
            case F64 -> "double precision";
            default -> v.toString();
        };
    }

    private static ExportInfo find(CompiledModule module, String name) {
        for (ExportInfo e : module.exports()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static SQLException invalid(String function, String message) {
        return SqlStates.error(SqlStates.INVALID_FUNCTION_DEFINITION, "function " + function + ": " + message);
    }
}
