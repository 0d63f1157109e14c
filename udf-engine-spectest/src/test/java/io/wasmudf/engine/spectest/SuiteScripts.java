package io.wasmudf.engine.spectest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The converted scripts of the official spec suite ({@code <suite>/json/NAME.json} plus
 * {@code NAME.N.wasm}) command by command, for tests that check one kind of command against the
 * engine's public API.
 */
final class SuiteScripts {
    private SuiteScripts() {}

    /** One wast2json command; {@code filename}, {@code text} and {@code moduleType} may be null. */
    record Command(String type, int line, String filename, String text, String moduleType) {
        boolean isBinaryModule() {
            return filename != null && filename.endsWith(".wasm");
        }
    }

    /** One converted script, e.g. {@code binary} for {@code binary.json}. */
    record Script(String name, Path dir, List<Command> commands) {
        /** The bytes of a command's module file. */
        byte[] read(Command command) {
            try {
                return Files.readAllBytes(dir.resolve(command.filename()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        boolean isSimd() {
            return name.startsWith("simd_");
        }
    }

    /** All scripts of the suite, sorted by name (the calling test skips, or fails in CI, without the suite). */
    static List<Script> all() {
        Path json = SuiteLocation.require().resolve("json");
        List<Script> scripts = new ArrayList<>();
        try {
            for (Path f : SpecRunner.jsonScripts(json)) {
                List<Command> commands = new ArrayList<>();
                for (Map<String, Object> c : SpecRunner.commands(f)) {
                    Object line = c.get("line");
                    commands.add(new Command((String) c.get("type"), line == null ? -1 : ((Number) line).intValue(), (String) c.get("filename"),
                            (String) c.get("text"), (String) c.get("module_type")));
                }
                scripts.add(new Script(SpecRunner.scriptName(f), json, commands));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return scripts;
    }
}
