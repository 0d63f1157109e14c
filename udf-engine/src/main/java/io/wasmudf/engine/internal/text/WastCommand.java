package io.wasmudf.engine.internal.text;

import java.util.List;

/** One top-level command of a {@code .wast} script; {@code line} is where it starts (1-based). */
public sealed interface WastCommand {
    int line();

    /** Define (and, unless it is a definition, instantiate) a module. */
    record Module(int line, WastModule module) implements WastCommand {}

    /** {@code (module instance $instance? $definition?)}. */
    record ModuleInstance(int line, String instance, String definition) implements WastCommand {}

    /** {@code (register "as" $module?)}. */
    record Register(int line, String as, String module) implements WastCommand {}

    /** A bare action. */
    record Action(int line, WastAction action) implements WastCommand {}

    record AssertReturn(int line, WastAction action, List<WastExpected> results) implements WastCommand {}

    /** A trap from an action, or (with {@code module} set) from instantiating a module. */
    record AssertTrap(int line, WastAction action, WastModule module, String message) implements WastCommand {}

    record AssertExhaustion(int line, WastAction action, String message) implements WastCommand {}

    record AssertException(int line, WastAction action) implements WastCommand {}

    record AssertInvalid(int line, WastModule module, String message) implements WastCommand {}

    record AssertMalformed(int line, WastModule module, String message) implements WastCommand {}

    record AssertUnlinkable(int line, WastModule module, String message) implements WastCommand {}

    record AssertUninstantiable(int line, WastModule module, String message) implements WastCommand {}

    /** A command outside the core script format (threads, custom-section assertions), kept by name. */
    record Unsupported(int line, String head) implements WastCommand {}
}
