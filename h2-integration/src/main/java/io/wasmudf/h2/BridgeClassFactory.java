package io.wasmudf.h2;

import org.h2.util.JdbcUtils;
import org.h2.util.Utils;

/**
 * Lets H2 load bridge classes by name: H2 asks its class factories before {@code Class.forName},
 * so an alias persisted as {@code FOR 'io.wasmudf.h2.bridge.W_<db>_<fn>_<version>.call'} resolves
 * in any JVM where this factory is installed (the driver installs it when loaded) and the database
 * is open through {@code jdbc:wasm:}: the name leads to the database's {@link CatalogService},
 * which generates the class from the function's definition. The factory itself keeps nothing.
 */
final class BridgeClassFactory implements Utils.ClassFactory {
    private static final BridgeClassFactory INSTANCE = new BridgeClassFactory();
    private static boolean installed;

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
        return BridgeNames.isBridge(name);
    }

    @Override
    public Class<?> loadClass(String name) throws ClassNotFoundException {
        BridgeNames.ParsedGroup g = BridgeNames.parseGroup(name);
        if (g != null) {
            CatalogService service = CatalogService.forBridge(g.databaseId());
            if (service == null) {
                throw new ClassNotFoundException(name + ": its database is not open through jdbc:wasm: in this JVM");
            }
            return service.bridgeClass(name, 0, 0);
        }
        BridgeNames.Parsed p = BridgeNames.parse(name);
        if (p == null) {
            throw new ClassNotFoundException(name + ": not a bridge class of this version (catalogs of older versions are migrated when"
                    + " their database is opened through jdbc:wasm:)");
        }
        CatalogService service = CatalogService.forBridge(p.databaseId());
        if (service == null) {
            throw new ClassNotFoundException(name + ": its database is not open through jdbc:wasm: in this JVM");
        }
        return service.bridgeClass(name, p.functionId(), p.version());
    }

    /** Defines a bridge class in a loader of its own, so a dropped or replaced function's class can be unloaded. */
    static Class<?> define(String name, byte[] bytes) {
        return new BridgeLoader().define(name, bytes);
    }

    private static final class BridgeLoader extends ClassLoader {
        BridgeLoader() {
            super(BridgeClassFactory.class.getClassLoader());
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
