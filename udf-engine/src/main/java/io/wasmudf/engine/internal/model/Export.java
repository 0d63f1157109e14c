package io.wasmudf.engine.internal.model;

import io.wasmudf.engine.ExternKind;

/** One entry of the export section; {@code index} is in the kind's index space (imports first). */
public record Export(String name, ExternKind kind, int index) {}
