package io.wasmudf.engine.internal.model;

import java.util.List;

/** A data segment; {@code offset} and {@code memoryIndex} are meaningful only for active ones. */
public record DataSegment(boolean active, int memoryIndex, List<Instruction> offset, byte[] bytes) {}
