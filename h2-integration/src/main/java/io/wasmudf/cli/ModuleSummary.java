package io.wasmudf.cli;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.engine.ExportInfo;
import io.wasmudf.engine.ExternKind;
import io.wasmudf.sql.AbiLayout;
import java.util.ArrayList;
import java.util.List;

/** A module's function exports with their core signatures, to help write CREATE FUNCTION. */
final class ModuleSummary {
    private ModuleSummary() {}

    static List<String> functionExports(byte[] bytes) {
        List<String> out = new ArrayList<>();
        try {
            CompiledModule m = Engine.create().compile(bytes);
            for (ExportInfo e : m.exports()) {
                if (e.kind() == ExternKind.FUNC && !e.name().startsWith("cabi_")) {
                    out.add(e.name() + " " + AbiLayout.describe(e.funcType()));
                }
            }
        } catch (RuntimeException e) {
            // the upload itself already validated the module; a summary is a courtesy
        }
        return out;
    }
}
