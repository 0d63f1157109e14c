package io.wasmudf.engine;

/** An export of a compiled module; {@code funcType} is set for functions, null otherwise. */
public record ExportInfo(String name, ExternKind kind, FuncType funcType) {}
