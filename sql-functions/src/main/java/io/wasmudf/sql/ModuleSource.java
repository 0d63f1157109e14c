package io.wasmudf.sql;

/** Where the code of a {@code CREATE FUNCTION … LANGUAGE wasm} comes from (its {@code AS} clause). */
public sealed interface ModuleSource {

    /** {@code AS '\x0061736d…'} or {@code AS X'0061736d…'}: the module bytes inline; export = function name. */
    record Inline(byte[] bytes) implements ModuleSource {}

    /** {@code AS ?}: module bytes bound as a {@code byte[]} parameter; export = function name. */
    record BoundParameter() implements ModuleSource {}

    /**
     * {@code AS '(module …)'[, 'export']}: a module in the WebAssembly text format, inline (a string
     * whose first token, after white space and comments, is an opening parenthesis); export null =
     * function name.
     */
    record Text(String text, String exportName) implements ModuleSource {}

    /** {@code AS 'module'[, 'export']}: a module already in {@code wasm.modules}; export null = function name. */
    record CatalogModule(String moduleName, String exportName) implements ModuleSource {}
}
