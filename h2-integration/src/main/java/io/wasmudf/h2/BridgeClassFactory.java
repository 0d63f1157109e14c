package io.wasmudf.h2;

import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import org.h2.util.JdbcUtils;
import org.h2.util.Utils;

/**
 * Lets H2 load bridge classes by name: H2 asks its class factories before {@code Class.forName},
 * so an alias persisted as {@code FOR 'io.wasmudf.h2.bridge.W….call'} resolves in any JVM where
 * this factory is installed (the driver installs it when loaded), even after a restart.
 */
final class BridgeClassFactory implements Utils.ClassFactory {
    private static final BridgeClassFactory INSTANCE = new BridgeClassFactory();
    private static boolean installed;
    private final ConcurrentHashMap<String, Class<?>> classes = new ConcurrentHashMap<>();

    private BridgeClassFactory() {}

    /** Registers the factory with H2 once per JVM (H2's factory list is not synchronised). */
    static synchronized void install() {
        if (!installed) {
            JdbcUtils.addClassFactory(INSTANCE);
            installed = true;
        }
    }

    @Override
    public boolean match(String name) {
        return name.startsWith(BridgeSpec.PREFIX);
    }

    @Override
    public Class<?> loadClass(String name) throws ClassNotFoundException {
        return INSTANCE.load(name);
    }

    static Class<?> bridgeClass(String name) throws ClassNotFoundException {
        return INSTANCE.load(name);
    }

    private Class<?> load(String name) throws ClassNotFoundException {
        Class<?> c = classes.get(name);
        if (c != null) {
            return c;
        }
        BridgeSpec spec;
        try {
            spec = BridgeSpec.fromClassName(name);
        } catch (SQLException | RuntimeException e) {
            throw new ClassNotFoundException(name + ": " + e.getMessage());
        }
        return classes.computeIfAbsent(name, n -> new BridgeLoader().define(n, BridgeGenerator.generate(spec)));
    }

    /** One loader per bridge, so a dropped function's class can be unloaded. */
    private static final class BridgeLoader extends ClassLoader {
        BridgeLoader() {
            super(BridgeClassFactory.class.getClassLoader());
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
