package io.wasmudf.sql;

import static io.wasmudf.sql.TokenCursor.syntax;

import io.wasmudf.sql.SqlLexer.Kind;
import io.wasmudf.sql.SqlLexer.Token;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The actions of {@code ALTER FUNCTION name [(argtypes)] action [...] [RESTRICT]} (PostgreSQL's
 * alterfunc_opt_list) into an {@link AlterFunctionActions}; called by {@link FunctionDdlParser}
 * once it has read the function's name, with its cursor positioned after it.
 */
final class AlterActionsParser {
    private final TokenCursor in;

    /** Reads from {@code in}, left after the actions when {@link #parse} returns. */
    AlterActionsParser(TokenCursor in) {
        this.in = in;
    }

    /** PostgreSQL's alterfunc_opt_list, with what wasm functions cannot honour refused rather than ignored. */
    AlterFunctionActions parse(DropFunction.Target target) throws SQLException {
        Volatility volatility = null;
        Boolean strict = null;
        List<AlterFunctionActions.Setting> settings = new ArrayList<>();
        String fn = "function " + target.name();
        do {
            Token t = in.peek();
            if (t.isWord("IMMUTABLE") || t.isWord("STABLE") || t.isWord("VOLATILE")) {
                FunctionDdlParser.once(volatility, "volatility (IMMUTABLE | STABLE | VOLATILE)");
                in.next();
                volatility = Volatility.valueOf(t.text().toUpperCase(Locale.ROOT));
            } else if (in.acceptWord("STRICT")) {
                FunctionDdlParser.once(strict, "null-input behaviour (STRICT | CALLED ON NULL INPUT)");
                strict = true;
            } else if (in.acceptWord("RETURNS")) {
                FunctionDdlParser.once(strict, "null-input behaviour (STRICT | CALLED ON NULL INPUT)");
                expectWords("NULL", "ON", "NULL", "INPUT");
                strict = true;
            } else if (in.acceptWord("CALLED")) {
                FunctionDdlParser.once(strict, "null-input behaviour (STRICT | CALLED ON NULL INPUT)");
                expectWords("ON", "NULL", "INPUT");
                strict = false;
            } else if (in.acceptWord("RESET")) {
                if (in.acceptWord("ALL")) {
                    settings.add(new AlterFunctionActions.Setting(null, null));
                } else {
                    settings.add(new AlterFunctionActions.Setting(settingName(fn), null));
                }
            } else if (in.acceptWord("SET")) {
                String param = settingName(fn);
                if (in.peek().isWord("FROM")) {
                    throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, fn + ": SET " + param + " FROM CURRENT is not supported");
                }
                if (!in.acceptWord("TO") && !in.acceptSymbol('=')) {
                    throw syntax("expected TO or = after SET " + param, in.peek());
                }
                Token v = in.next();
                if (v.isWord("DEFAULT")) {
                    settings.add(new AlterFunctionActions.Setting(param, null));
                } else if (v.kind() == Kind.NUMBER || v.kind() == Kind.STRING || v.kind() == Kind.WORD) {
                    FunctionLimits.NONE.with(param, v.text()); // a malformed value is refused when parsed, as in CREATE
                    settings.add(new AlterFunctionActions.Setting(param, v.text()));
                } else {
                    throw syntax("expected a value for " + param, v);
                }
            } else if (in.acceptWord("SECURITY") || in.acceptWord("EXTERNAL") && expectedWord("SECURITY")) {
                Token mode = in.next();
                if (mode.isWord("DEFINER")) {
                    throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, fn + ": SECURITY DEFINER is not supported (wasm functions run with"
                            + " no SQL access, so only SECURITY INVOKER applies)");
                }
                if (!mode.isWord("INVOKER")) {
                    throw syntax("expected INVOKER or DEFINER after SECURITY", mode);
                }
            } else if (t.isWord("PARALLEL") || t.isWord("COST") || t.isWord("ROWS") || t.isWord("LEAKPROOF") || t.isWord("NOT")
                    || t.isWord("SUPPORT")) {
                throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, "ALTER FUNCTION … " + t.text().toUpperCase(Locale.ROOT)
                        + " is not supported for wasm functions (supported: IMMUTABLE | STABLE | VOLATILE, STRICT | CALLED ON NULL INPUT,"
                        + " SET/RESET " + FunctionLimits.MAX_MEMORY + ", " + FunctionLimits.FUEL + ", " + FunctionLimits.TIMEOUT + ", "
                        + FunctionLimits.GRANTS + ", RESET ALL, RENAME TO, OWNER TO)");
            } else if (t.kind() == Kind.END || t.isSymbol(';')) {
                throw syntax("expected an action after ALTER FUNCTION " + target.name()
                        + " (RENAME TO, OWNER TO, IMMUTABLE | STABLE | VOLATILE, STRICT | CALLED ON NULL INPUT, SET, RESET)", t);
            } else {
                throw syntax("unexpected " + t.describe() + " in ALTER FUNCTION " + target.name(), t);
            }
        } while (!in.peek().isWord("RESTRICT") && in.peek().kind() != Kind.END && !in.peek().isSymbol(';'));
        in.acceptWord("RESTRICT");
        return new AlterFunctionActions(target, volatility, strict, settings);
    }

    /** A SET/RESET parameter name of a function: one of the wasm.* limits (22023 for another wasm.*, 0A000 for the rest). */
    private String settingName(String fn) throws SQLException {
        String param = in.parameterName("a configuration parameter name");
        if (!FunctionLimits.isParameter(param)) {
            boolean wasm = param.toLowerCase(Locale.ROOT).startsWith("wasm.");
            throw SqlStates.error(wasm ? SqlStates.INVALID_PARAMETER_VALUE : SqlStates.FEATURE_NOT_SUPPORTED, fn + ": "
                    + (wasm ? "unrecognized configuration parameter \"" + param + "\"" : "SET " + param + " is not supported")
                    + "; wasm functions accept SET " + FunctionLimits.MAX_MEMORY + ", " + FunctionLimits.FUEL + ", "
                    + FunctionLimits.TIMEOUT + " and " + FunctionLimits.GRANTS);
        }
        return param.toLowerCase(Locale.ROOT);
    }

    private boolean expectedWord(String w) throws SQLException {
        in.expectWord(w);
        return true;
    }

    private void expectWords(String... words) throws SQLException {
        for (String w : words) {
            in.expectWord(w);
        }
    }
}
