package io.wasmudf.engine;

/** An import of a compiled module; {@code funcType} is set for functions, null otherwise. */
public record ImportInfo(String module, String name, ExternKind kind, FuncType funcType) {}
