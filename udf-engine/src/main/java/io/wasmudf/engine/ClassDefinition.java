package io.wasmudf.engine;

import io.wasmudf.engine.internal.compile.ModuleCompiler;
import io.wasmudf.engine.internal.runtime.ModuleInstance;
import io.wasmudf.engine.internal.util.Parallel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Defines and links (so the JVM verifies) a module's generated classes, in a class loader of their
 * own. {@link #start} begins on a helper thread when the classes are large enough to be worth
 * one, so that a code-cache hit verifies while its caller decodes the module; {@link #finish}
 * takes part in what is left and waits for the rest. Classes are defined by the loader when first
 * asked for, so the helper, the caller and the JVM resolving one class from another can ask in any
 * order, each class being defined once.
 */
final class ClassDefinition {
    /**
     * Below this many bytes of class files the caller defines them alone: a thread costs more than
     * it saves. Starting one takes about 0.1 ms; the verifier takes about as long for 3-4 KB of
     * generated code (png: 365 KB in 14 ms), so a module of two 20 KB parts gains from it.
     */
    private static final long HELPER_BYTES = 16 << 10;

    private final Loader loader;
    /** The main class first, then the parts. */
    private final String[] names;
    private final Class<?>[] classes;
    private final Throwable[] failures;
    private final AtomicInteger next = new AtomicInteger();
    /** Counts down as each class is settled (defined, failed, or skipped once cancelled) by whoever took it. */
    private final CountDownLatch settled;
    private volatile boolean cancelled;
    private final Thread helper;

    private ClassDefinition(ModuleCompiler.Output out, boolean callerBusy) {
        List<ModuleCompiler.ClassFile> parts = out.parts();
        Map<String, byte[]> files = new HashMap<>();
        names = new String[parts.size() + 1];
        names[0] = out.binaryName();
        files.put(out.binaryName(), out.bytes());
        long bytes = out.bytes().length;
        for (int i = 0; i < parts.size(); i++) {
            names[i + 1] = parts.get(i).binaryName();
            files.put(names[i + 1], parts.get(i).bytes());
            bytes += parts.get(i).bytes().length;
        }
        classes = new Class<?>[names.length];
        failures = new Throwable[names.length];
        settled = new CountDownLatch(names.length);
        loader = new Loader(CompiledModule.class.getClassLoader(), files);
        helper = bytes < HELPER_BYTES || (names.length < 2 && !callerBusy) ? null : new Helper(this);
    }

    /**
     * Starts defining {@code out}'s classes on a helper thread when they are large, while the
     * caller does other work before {@link #finish} (a code-cache hit decodes the module).
     */
    static ClassDefinition start(ModuleCompiler.Output out) {
        return started(new ClassDefinition(out, true));
    }

    /**
     * As {@link #start}, for a caller that calls {@link #finish} right away: then a single class
     * gets no helper, whatever its size, since caller and helper would only race for it and the
     * caller waited for a thread with nothing to do to be scheduled and end
     * (as-chacha20poly1305, one 18 KB class: define + link 1.1-2.6 ms on a loaded machine where
     * the class itself takes 0.45 ms; 0.6-0.75 ms without the helper).
     */
    static ClassDefinition startForCaller(ModuleCompiler.Output out) {
        return started(new ClassDefinition(out, false));
    }

    private static ClassDefinition started(ClassDefinition d) {
        if (d.helper != null) {
            d.helper.start();
        }
        return d;
    }

    /**
     * The classes, main class first, each defined and linked; the first failure in class order
     * (a {@code VerifyError}, {@code ClassFormatError} …) is rethrown. Waits for the classes the
     * helper took, not for the helper: one that had not run yet when the caller had taken every
     * class (a loaded machine) ends on its own later, having nothing left to take.
     */
    Class<?>[] finish() {
        work();
        awaitSettled();
        Parallel.rethrowFirst(failures);
        classes[0].asSubclass(ModuleInstance.class);
        return classes;
    }

    /** Whether a helper thread defines classes beside the caller (for tests). */
    boolean helped() {
        return helper != null;
    }

    /** Stops defining (the classes are not wanted after all) and waits for a class the helper is defining. */
    void cancel() {
        cancelled = true;
        work();
        awaitSettled();
    }

    /** Takes classes until none is left, defining each unless cancelled, and settles every one taken. */
    private void work() {
        int i;
        while ((i = next.getAndIncrement()) < names.length) {
            try {
                if (!cancelled) {
                    // defines it through the loader (or finds it defined), then links and initialises it
                    classes[i] = Class.forName(names[i], true, loader);
                }
            } catch (Throwable t) {
                failures[i] = t;
                // the module is refused anyway: the rest is not worth verifying
                cancelled = true;
            } finally {
                settled.countDown();
            }
        }
    }

    /**
     * Waits until every class is settled (the latch also publishes the helper's classes and
     * failures), not interruptibly since they are needed, keeping an interrupt for the caller.
     */
    private void awaitSettled() {
        boolean interrupted = false;
        while (true) {
            try {
                settled.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The helper: a plain thread, since in a young JVM a pool or a parallel stream costs more to start than a class to verify. */
    private static final class Helper extends Thread {
        private final ClassDefinition definition;

        Helper(ClassDefinition definition) {
            super("wasmudf-define");
            setDaemon(true);
            this.definition = definition;
        }

        @Override
        public void run() {
            definition.work();
        }
    }

    /** The package of the helpers generated code calls ({@code Mem}, {@code Ops}, {@code Tables}, {@code ModuleInstance}). */
    private static final String RUNTIME_PACKAGE = ModuleInstance.class.getPackageName();

    /** Defines a module's generated classes on demand; a loader per module lets them be unloaded with it. */
    private static final class Loader extends ClassLoader {
        static {
            // the helper, the caller and the JVM may ask for classes concurrently
            registerAsParallelCapable();
        }

        private final Map<String, byte[]> files;

        Loader(ClassLoader parent, Map<String, byte[]> files) {
            super(parent);
            this.files = files;
            // generated code extends and calls the runtime helpers: open them to it, and only to it
            // (a no-op when the engine runs on the class path, where nothing is encapsulated)
            CompiledModule.class.getModule().addExports(RUNTIME_PACKAGE, getUnnamedModule());
        }

        /**
         * The module's own classes are defined here without asking the parent first: the parent
         * would search every jar of the class path for a name no jar has, once per class, on
         * every compile (a visible part of a small module's define time).
         */
        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!files.containsKey(name)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = files.get(name);
            if (b == null) {
                throw new ClassNotFoundException(name);
            }
            // loadClass holds this name's lock: each class is defined once
            return defineClass(name, b, 0, b.length);
        }
    }
}
