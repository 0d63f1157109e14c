package io.wasmudf.sql;

/** Where the code of a {@code CREATE FUNCTION … LANGUAGE wasm} comes from (its {@code AS} clause). */
public sealed interface ModuleSource {

    /** {@code AS '\x0061736d…'[, 'export']} or {@code AS X'0061736d…'[, 'export']}: the module bytes inline; export null = function name. */
    record Inline(byte[] bytes, String exportName) implements ModuleSource {
        /** Inline bytes serving the export named like the function. */
        public Inline(byte[] bytes) {
            this(bytes, null);
        }
    }

    /** {@code AS ?[, 'export']}: module bytes bound as a {@code byte[]} parameter; export null = function name. */
    record BoundParameter(String exportName) implements ModuleSource {
        /** Bound bytes serving the export named like the function. */
        public BoundParameter() {
            this(null);
        }
    }

    /**
     * {@code AS '(module …)'[, 'export']}: a module in the WebAssembly text format, inline (a string
     * whose first token, after white space and comments, is an opening parenthesis); export null =
     * function name.
     */
    record Text(String text, String exportName) implements ModuleSource {}

    /** {@code AS 'module'[, 'export']}: a module already in {@code wasm.modules}; export null = function name. */
    record CatalogModule(String moduleName, String exportName) implements ModuleSource {}
}
