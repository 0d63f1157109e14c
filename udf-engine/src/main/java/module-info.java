/**
 * The WasmUDF engine: decodes, validates and compiles WebAssembly modules to JVM bytecode and runs
 * them under limits. Its API is the package {@code io.wasmudf.engine}; everything under
 * {@code io.wasmudf.engine.internal} is implementation (generated module classes get access to the
 * runtime helpers they call, see {@code CompiledModule}).
 */
module io.wasmudf.engine {
    requires org.objectweb.asm;
    requires java.management; // WASI's process and thread CPU-time clocks
    // f32x4 dot-product and byte-scan loops as vector code (internal.runtime.VectorDot, VectorScan), only where the module is
    // present at run time (--add-modules jdk.incubator.vector): optional
    requires static jdk.incubator.vector;
    requires jdk.unsupported; // sun.misc.Unsafe for bounds-checked memory accesses (internal.runtime.Mem)

    exports io.wasmudf.engine;
}
