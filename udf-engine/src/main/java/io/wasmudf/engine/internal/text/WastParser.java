package io.wasmudf.engine.internal.text;

import io.wasmudf.engine.WasmFeatures;
import io.wasmudf.engine.WatSyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a {@code .wast} script into {@link WastCommand}s. Text modules are encoded while the
 * script is read (a malformed one is kept with its error, so one bad module does not hide the
 * rest of the script); quoted modules are kept as text.
 */
public final class WastParser {
    private final Tokens t;

    private WastParser(Tokens t) {
        this.t = t;
    }

    /**
     * Parses a whole script.
     *
     * @throws WatSyntaxException if the script itself (outside text modules) is malformed
     */
    public static List<WastCommand> parse(byte[] utf8) {
        return parse(utf8, WasmFeatures.V3_0);
    }

    /** Parses a whole script whose text modules follow the text rules of {@code features}' version. */
    public static List<WastCommand> parse(byte[] utf8, WasmFeatures features) {
        return new WastParser(Lexer.lex(utf8, features)).script();
    }

    private List<WastCommand> script() {
        List<WastCommand> commands = new ArrayList<>();
        if (t.peek() == Tokens.LPAR && !isCommand(t.formHead())) {
            // A script may also be a bare module's fields.
            int line = t.line(t.pos);
            commands.add(new WastCommand.Module(line, textModule(t.pos, null, false, line, true)));
        }
        while (t.peek() != Tokens.EOF) {
            commands.add(command());
        }
        return commands;
    }

    private static boolean isCommand(String head) {
        if (head == null) {
            return true;
        }
        switch (head) {
            case "module": case "register": case "invoke": case "get":
                return true;
            default:
                return head.startsWith("assert_") || head.equals("thread") || head.equals("wait");
        }
    }

    private WastCommand command() {
        int start = t.pos;
        int line = t.line(start);
        String head = t.formHead();
        if (head == null) {
            throw t.unexpected(t.peek() == Tokens.LPAR ? t.pos + 1 : t.pos);
        }
        switch (head) {
            case "module": {
                if (t.isKeyword(2, "instance")) {
                    t.pos += 3;
                    String instance = t.optId();
                    String definition = t.optId();
                    t.close();
                    return new WastCommand.ModuleInstance(line, instance, definition);
                }
                return new WastCommand.Module(line, module());
            }
            case "register": {
                t.pos += 2;
                String as = t.name();
                String module = t.optId();
                t.close();
                return new WastCommand.Register(line, as, module);
            }
            case "invoke":
            case "get":
                return new WastCommand.Action(line, action());
            case "assert_return": {
                t.pos += 2;
                WastAction action = action();
                List<WastExpected> results = new ArrayList<>();
                while (t.peek() == Tokens.LPAR) {
                    results.add(expected());
                }
                t.close();
                return new WastCommand.AssertReturn(line, action, results);
            }
            case "assert_trap": {
                t.pos += 2;
                if (t.atForm("module")) {
                    WastModule module = module();
                    String message = message();
                    return new WastCommand.AssertTrap(line, null, module, message);
                }
                WastAction action = action();
                return new WastCommand.AssertTrap(line, action, null, message());
            }
            case "assert_exhaustion": {
                t.pos += 2;
                WastAction action = action();
                return new WastCommand.AssertExhaustion(line, action, message());
            }
            case "assert_exception": {
                t.pos += 2;
                WastAction action = action();
                t.close();
                return new WastCommand.AssertException(line, action);
            }
            case "assert_invalid": {
                t.pos += 2;
                WastModule module = module();
                return new WastCommand.AssertInvalid(line, module, message());
            }
            case "assert_malformed": {
                t.pos += 2;
                WastModule module = module();
                return new WastCommand.AssertMalformed(line, module, message());
            }
            case "assert_unlinkable": {
                t.pos += 2;
                WastModule module = module();
                return new WastCommand.AssertUnlinkable(line, module, message());
            }
            case "assert_uninstantiable": {
                t.pos += 2;
                WastModule module = module();
                return new WastCommand.AssertUninstantiable(line, module, message());
            }
            default:
                if (head.startsWith("assert_") || head.equals("thread") || head.equals("wait")) {
                    t.skipItem();
                    return new WastCommand.Unsupported(line, head);
                }
                throw t.unexpected(start + 1);
        }
    }

    private String message() {
        byte[] m = t.string();
        t.close();
        return new String(m, StandardCharsets.UTF_8);
    }

    private WastModule module() {
        int start = t.pos;
        int line = t.line(start);
        t.openForm("module");
        boolean definition = t.tryKeyword("definition");
        String name = t.optId();
        if (t.tryKeyword("binary")) {
            byte[] bytes = TextFormat.strings(t);
            t.close();
            return new WastModule(WastModule.Kind.BINARY, name, definition, line, bytes, null, null);
        }
        if (t.tryKeyword("quote")) {
            byte[] text = TextFormat.strings(t);
            t.close();
            return new WastModule(WastModule.Kind.QUOTE, name, definition, line, text, null, text);
        }
        return textModule(start, name, definition, line, false);
    }

    /** Fields from the cursor; on error the whole form (or the rest of a bare script) is skipped. */
    private WastModule textModule(int start, String name, boolean definition, int line, boolean bare) {
        try {
            byte[] binary = ModuleParser.fields(t);
            if (!bare) {
                t.close();
            }
            return new WastModule(WastModule.Kind.TEXT, name, definition, line, binary, null, source(start));
        } catch (WatSyntaxException e) {
            t.pos = start;
            if (bare) {
                while (t.peek() == Tokens.LPAR && !isCommand(t.formHead())) {
                    t.skipItem();
                }
            } else {
                t.skipItem();
            }
            return new WastModule(WastModule.Kind.TEXT, name, definition, line, null, e, source(start));
        }
    }

    /** The source text from a token up to the cursor. */
    private byte[] source(int fromToken) {
        int from = t.start(fromToken);
        int to = t.pos > fromToken ? t.end(t.pos - 1) : from;
        return java.util.Arrays.copyOfRange(t.source(), from, to);
    }

    private WastAction action() {
        String head = t.formHead();
        boolean invoke = "invoke".equals(head);
        if (!invoke && !"get".equals(head)) {
            throw t.unexpected(t.peek() == Tokens.LPAR ? t.pos + 1 : t.pos);
        }
        t.pos += 2;
        String module = t.optId();
        String name = t.name();
        List<WastValue> args = new ArrayList<>();
        while (invoke && t.peek() == Tokens.LPAR) {
            args.add(value());
        }
        t.close();
        return new WastAction(invoke, module, name, args);
    }

    private WastValue value() {
        String head = t.formHead();
        if (head == null) {
            throw t.unexpected();
        }
        t.pos += 2;
        WastValue v;
        switch (head) {
            case "i32.const": v = new WastValue.Num("i32", (int) integer(32)); break;
            case "i64.const": v = new WastValue.Num("i64", integer(64)); break;
            case "f32.const": v = new WastValue.Num("f32", floatBits(true)); break;
            case "f64.const": v = new WastValue.Num("f64", floatBits(false)); break;
            case "v128.const": {
                ByteBuf b = new ByteBuf(16);
                Simd.v128Const(t, b);
                v = new WastValue.Vec(b.toArray());
                break;
            }
            case "ref.null": v = new WastValue.RefNull(t.peek() == Tokens.RPAR ? null : heapTypeText()); break;
            case "ref.extern":
            case "ref.host":
                v = new WastValue.HostRef(head, integer(64));
                break;
            default:
                throw t.unexpected(t.pos - 1);
        }
        t.close();
        return v;
    }

    private String heapTypeText() {
        int tok = t.pos;
        t.pos++;
        return (t.kind(tok) == Tokens.ID ? "$" : "") + t.text(tok);
    }

    private WastExpected expected() {
        String head = t.formHead();
        if (head == null) {
            throw t.unexpected();
        }
        int at = t.pos;
        switch (head) {
            case "f32.const":
            case "f64.const": {
                if (t.isKeyword(2, "nan:canonical") || t.isKeyword(2, "nan:arithmetic")) {
                    t.pos += 2;
                    boolean canonical = t.keyword().equals("nan:canonical");
                    t.close();
                    return new WastExpected.Nan(head.substring(0, 3), canonical);
                }
                return new WastExpected.Exact(value());
            }
            case "v128.const":
                return vecPattern();
            case "either": {
                t.pos += 2;
                List<WastExpected> options = new ArrayList<>();
                while (t.peek() == Tokens.LPAR) {
                    options.add(expected());
                }
                t.close();
                return new WastExpected.Either(options);
            }
            case "i32.const":
            case "i64.const":
                return new WastExpected.Exact(value());
            default:
                if (!head.startsWith("ref.")) {
                    throw t.unexpected(at + 1);
                }
                t.pos += 2;
                String detail = t.peek() == Tokens.RPAR ? null : heapTypeText();
                t.close();
                return new WastExpected.Ref(head, detail);
        }
    }

    private WastExpected vecPattern() {
        int at = t.pos;
        t.pos += 2;
        String shape = t.keyword();
        boolean isFloat = shape.startsWith("f");
        boolean hasNan = false;
        for (int k = t.pos; t.kind(k) != Tokens.RPAR && t.kind(k) != Tokens.EOF; k++) {
            if (t.kind(k) == Tokens.KEYWORD && t.text(k).startsWith("nan:") && !t.text(k).startsWith("nan:0x")) {
                hasNan = true;
            }
        }
        if (!hasNan || !isFloat) {
            t.pos = at;
            return new WastExpected.Exact(value());
        }
        String type = shape.substring(0, 3);
        List<WastExpected> lanes = new ArrayList<>();
        while (t.peek() != Tokens.RPAR) {
            String text = t.text(t.pos);
            if (t.peek() == Tokens.KEYWORD && (text.equals("nan:canonical") || text.equals("nan:arithmetic"))) {
                lanes.add(new WastExpected.Nan(type, text.equals("nan:canonical")));
                t.pos++;
            } else {
                lanes.add(new WastExpected.Exact(new WastValue.Num(type,
                        floatBits(type.equals("f32")))));
            }
        }
        t.close();
        return new WastExpected.VecLanes(shape, lanes);
    }

    private long integer(int bits) {
        int tok = t.pos;
        try {
            Long v = t.peek() == Tokens.NUM ? Numbers.integer(t.text(tok), bits) : null;
            if (v == null) {
                throw t.unexpected();
            }
            t.pos++;
            return v;
        } catch (Numbers.OutOfRange e) {
            throw t.error(tok, "constant out of range");
        }
    }

    private long floatBits(boolean single) {
        int tok = t.pos;
        int k = t.peek();
        if (k != Tokens.NUM && k != Tokens.KEYWORD) {
            throw t.unexpected();
        }
        try {
            Long v = Numbers.floatBits(t.text(tok), single);
            if (v == null) {
                throw t.unexpected();
            }
            t.pos++;
            return v;
        } catch (Numbers.OutOfRange e) {
            throw t.error(tok, "constant out of range");
        }
    }
}
