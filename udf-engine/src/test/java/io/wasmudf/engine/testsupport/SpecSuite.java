package io.wasmudf.engine.testsupport;

import io.wasmudf.engine.spectest.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Access to the official spec suite converted by wast2json ({@code <suite>/json/NAME.json} plus
 * {@code NAME.N.wasm}). The suite directory comes from the {@code wasm.testsuite} system property,
 * falling back to {@code ../../shared/wasm-testsuite} relative to the module directory.
 */
public final class SpecSuite {
    private SpecSuite() {}

    /** One wast2json command; {@code filename}, {@code text} and {@code moduleType} may be null. */
    public record Command(String type, int line, String filename, String text, String moduleType,
                          Map<String, Object> raw) {}

    /** One converted script, e.g. {@code binary} for {@code binary.json}. */
    public record Script(String name, Path dir, List<Command> commands) {
        /** The bytes of a command's module file. */
        public byte[] read(Command command) {
            try {
                return Files.readAllBytes(dir.resolve(command.filename()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public boolean isSimd() {
            return name.startsWith("simd_");
        }
    }

    /** The {@code json} directory of the suite, if it can be found. */
    public static Optional<Path> jsonDir() {
        String configured = System.getProperty("wasm.testsuite");
        List<Path> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(Paths.get(configured));
        }
        candidates.add(Paths.get("../../shared/wasm-testsuite"));
        for (Path p : candidates) {
            Path json = p.resolve("json");
            if (Files.isDirectory(json)) {
                return Optional.of(json.toAbsolutePath().normalize());
            }
        }
        return Optional.empty();
    }

    /** All scripts of the suite, sorted by name. */
    public static List<Script> scripts(Path jsonDir) {
        List<Script> scripts = new ArrayList<>();
        try (Stream<Path> files = Files.list(jsonDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                scripts.add(load(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return scripts;
    }

    @SuppressWarnings("unchecked")
    static Script load(Path jsonFile) throws IOException {
        Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readString(jsonFile));
        List<Command> commands = new ArrayList<>();
        for (Object o : (List<Object>) root.get("commands")) {
            Map<String, Object> c = (Map<String, Object>) o;
            Object line = c.get("line");
            commands.add(new Command((String) c.get("type"), line == null ? -1 : ((Number) line).intValue(),
                    (String) c.get("filename"), (String) c.get("text"), (String) c.get("module_type"), c));
        }
        String file = jsonFile.getFileName().toString();
        return new Script(file.substring(0, file.length() - ".json".length()), jsonFile.getParent(), commands);
    }
}
