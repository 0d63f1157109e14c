package io.wasmudf.udfs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The prebuilt WebAssembly modules of this jar ({@code /io/wasmudf/udfs/*.wasm}) and their manifest. */
public final class UdfModules {

    /** Classpath directory holding the modules and {@code manifest.txt}. */
    public static final String RESOURCE_DIR = "/io/wasmudf/udfs/";

    /** One manifest line: the module's name (file name without {@code .wasm}) and one function's
     *  PostgreSQL signature, e.g. {@code slugify(s text) RETURNS text STRICT}. */
    public record Entry(String module, String sqlSignature) {

        /** The function (= export) name: the signature up to its '('. */
        public String functionName() {
            return sqlSignature.substring(0, sqlSignature.indexOf('('));
        }
    }

    private UdfModules() {
    }

    /** The bytes of module {@code name}, e.g. {@code "strings"} or {@code "test-traps"}. */
    public static byte[] bytes(String name) {
        try (InputStream in = UdfModules.class.getResourceAsStream(RESOURCE_DIR + name + ".wasm")) {
            if (in == null) {
                throw new IllegalArgumentException("no packaged module '" + name + "' (expected resource "
                        + RESOURCE_DIR + name + ".wasm; known modules: " + moduleNames() + ")");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read module " + name, e);
        }
    }

    /** Every function listed in the manifest, in file order. */
    public static List<Entry> manifest() {
        return read("manifest.txt");
    }

    /**
     * The functions of the modules that import host functions (WASI, AssemblyScript's env,
     * wasmudf; {@code manifest-host.txt}): they need the engine's {@code HostEnvironment}.
     */
    public static List<Entry> hostManifest() {
        return read("manifest-host.txt");
    }

    private static List<Entry> read(String file) {
        List<Entry> entries = new ArrayList<>();
        try (InputStream in = UdfModules.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE_DIR + file + " is missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int space = trimmed.indexOf(' ');
                entries.add(new Entry(trimmed.substring(0, space), trimmed.substring(space + 1)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the module manifest", e);
        }
        return List.copyOf(entries);
    }

    /** The distinct module names of the manifest, in file order. */
    public static List<String> moduleNames() {
        return manifest().stream().map(Entry::module).distinct().toList();
    }
}
