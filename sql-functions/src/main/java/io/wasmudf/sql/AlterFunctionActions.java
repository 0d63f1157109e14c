package io.wasmudf.sql;

import java.util.List;

/**
 * A parsed {@code ALTER FUNCTION name [(argtypes)] action [...]} with PostgreSQL's actions that
 * wasm functions can honour: a volatility, {@code STRICT}/{@code CALLED ON NULL INPUT}, and
 * {@code SET wasm.… = value}, {@code SET wasm.… TO DEFAULT}, {@code RESET wasm.…},
 * {@code RESET ALL}, applied in the order written.
 *
 * @param volatility the new volatility, or null to keep it
 * @param strict     the new null-input behaviour, or null to keep it
 * @param settings   the SET and RESET actions in order
 */
public record AlterFunctionActions(DropFunction.Target target, Volatility volatility, Boolean strict, List<Setting> settings)
        implements WasmDdl {

    public AlterFunctionActions {
        settings = List.copyOf(settings);
    }

    /**
     * One SET or RESET: {@code name} null is {@code RESET ALL}; {@code value} null is a RESET
     * (or {@code SET … TO DEFAULT}) of {@code name}.
     */
    public record Setting(String name, String value) {}

    /** {@code limits} after the SET and RESET actions, in order. */
    public FunctionLimits apply(FunctionLimits limits) throws java.sql.SQLException {
        FunctionLimits out = limits;
        for (Setting s : settings) {
            out = s.name() == null ? FunctionLimits.NONE : s.value() == null ? out.reset(s.name()) : out.with(s.name(), s.value());
        }
        return out;
    }

    @Override
    public String commandTag() {
        return "ALTER FUNCTION";
    }
}
