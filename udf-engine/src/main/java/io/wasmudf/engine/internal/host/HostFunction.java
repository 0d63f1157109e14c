package io.wasmudf.engine.internal.host;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method {@code (HostState, wasm params...) -> wasm result} as an importable host
 * function; its import name is the method's name, its module the one its class registers under
 * in {@link HostModules}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface HostFunction {}
