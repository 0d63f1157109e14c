package io.wasmudf.engine.internal.model;

import java.util.List;

/** A global defined by the module, with its constant initialiser expression (without the final {@code end}). */
public record Global(GlobalType type, List<Instruction> init) {}
