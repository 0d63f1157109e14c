package io.wasmudf.engine.spectest;

import io.wasmudf.engine.internal.text.WastCommand;
import io.wasmudf.engine.internal.text.WastModule;
import io.wasmudf.engine.internal.text.WastParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The scripts of the official 2.0 spec suite command by command, as the text parser reads them,
 * for tests that check one kind of command against the engine's public API.
 */
final class SuiteScripts {
    private SuiteScripts() {}

    /**
     * One command with a module; {@code text} is the expected message (null for a plain module).
     * {@code moduleType} is {@code binary} for a module given as a binary or as text the parser
     * encodes, {@code text} for quoted text (whose text itself may be malformed).
     */
    record Command(String type, int line, WastModule module, String text, String moduleType) {
        boolean isBinaryModule() {
            return "binary".equals(moduleType);
        }

        String filename() {
            return moduleType + " module at line " + module.line();
        }
    }

    /** One script, e.g. {@code binary} for {@code binary.wast}. */
    record Script(String name, List<Command> commands) {
        /** The binary of a command's module. */
        byte[] read(Command command) {
            return command.module().binary();
        }

        boolean isSimd() {
            return SpecRunner.isSimd(name);
        }
    }

    /** All scripts of the 2.0 suite, sorted by name (the calling test skips, or fails in CI, without the suite). */
    static List<Script> all() {
        List<Script> scripts = new ArrayList<>();
        try {
            for (Map.Entry<String, Path> f : SpecRunner.wastScripts(SuiteLocation.require2()).entrySet()) {
                List<Command> commands = new ArrayList<>();
                for (WastCommand c : WastParser.parse(Files.readAllBytes(f.getValue()))) {
                    Command command = command(c);
                    if (command != null) {
                        commands.add(command);
                    }
                }
                scripts.add(new Script(f.getKey(), commands));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return scripts;
    }

    private static Command command(WastCommand c) {
        String type = WastRun.typeOf(c);
        if (c instanceof WastCommand.Module m) {
            return of(type, c.line(), m.module(), null);
        }
        if (c instanceof WastCommand.AssertInvalid a) {
            return of(type, c.line(), a.module(), a.message());
        }
        if (c instanceof WastCommand.AssertMalformed a) {
            return of(type, c.line(), a.module(), a.message());
        }
        if (c instanceof WastCommand.AssertUnlinkable a) {
            return of(type, c.line(), a.module(), a.message());
        }
        if (c instanceof WastCommand.AssertUninstantiable a) {
            return of(type, c.line(), a.module(), a.message());
        }
        if (c instanceof WastCommand.AssertTrap a && a.module() != null) {
            return of("assert_uninstantiable", c.line(), a.module(), a.message());
        }
        return null;
    }

    private static Command of(String type, int line, WastModule module, String text) {
        return new Command(type, line, module, text, module.kind() == WastModule.Kind.QUOTE ? "text" : "binary");
    }
}
