package io.wasmudf.engine.internal.text;

import java.util.List;

/**
 * {@code (invoke $module? "name" arg*)} or {@code (get $module? "name")}.
 *
 * @param invoke true for invoke, false for get
 * @param module the named module, or null for the latest one
 */
public record WastAction(boolean invoke, String module, String name, List<WastValue> args) {}
