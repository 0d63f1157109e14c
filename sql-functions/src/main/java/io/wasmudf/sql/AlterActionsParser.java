package io.wasmudf.sql;

import io.wasmudf.sql.SqlLexer.Kind;
import io.wasmudf.sql.SqlLexer.Token;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The actions of {@code ALTER FUNCTION name [(argtypes)] action [...] [RESTRICT]} (PostgreSQL's
 * alterfunc_opt_list) into an {@link AlterFunctionActions}; called by {@link FunctionDdlParser}
 * once it has read the function's name, with the tokens and the position after it.
 */
final class AlterActionsParser {
    private final List<Token> tokens;
    private int index;

    AlterActionsParser(List<Token> tokens, int index) {
        this.tokens = tokens;
        this.index = index;
    }

    /** The position after the actions. */
    int index() {
        return index;
    }

    /** PostgreSQL's alterfunc_opt_list, with what wasm functions cannot honour refused rather than ignored. */
    AlterFunctionActions parse(DropFunction.Target target) throws SQLException {
        Volatility volatility = null;
        Boolean strict = null;
        List<AlterFunctionActions.Setting> settings = new ArrayList<>();
        String fn = "function " + target.name();
        do {
            Token t = peek();
            if (t.isWord("IMMUTABLE") || t.isWord("STABLE") || t.isWord("VOLATILE")) {
                FunctionDdlParser.once(volatility, "volatility (IMMUTABLE | STABLE | VOLATILE)");
                next();
                volatility = Volatility.valueOf(t.text().toUpperCase(Locale.ROOT));
            } else if (acceptWord("STRICT")) {
                FunctionDdlParser.once(strict, "null-input behaviour (STRICT | CALLED ON NULL INPUT)");
                strict = true;
            } else if (acceptWord("RETURNS")) {
                FunctionDdlParser.once(strict, "null-input behaviour (STRICT | CALLED ON NULL INPUT)");
                expectWords("NULL", "ON", "NULL", "INPUT");
                strict = true;
            } else if (acceptWord("CALLED")) {
                FunctionDdlParser.once(strict, "null-input behaviour (STRICT | CALLED ON NULL INPUT)");
                expectWords("ON", "NULL", "INPUT");
                strict = false;
            } else if (acceptWord("RESET")) {
                if (acceptWord("ALL")) {
                    settings.add(new AlterFunctionActions.Setting(null, null));
                } else {
                    settings.add(new AlterFunctionActions.Setting(settingName(fn), null));
                }
            } else if (acceptWord("SET")) {
                String param = settingName(fn);
                if (peek().isWord("FROM")) {
                    throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, fn + ": SET " + param + " FROM CURRENT is not supported");
                }
                if (!acceptWord("TO") && !acceptSymbol('=')) {
                    throw FunctionDdlParser.syntax("expected TO or = after SET " + param, peek());
                }
                Token v = next();
                if (v.isWord("DEFAULT")) {
                    settings.add(new AlterFunctionActions.Setting(param, null));
                } else if (v.kind() == Kind.NUMBER || v.kind() == Kind.STRING || v.kind() == Kind.WORD) {
                    FunctionLimits.NONE.with(param, v.text()); // a malformed value is refused when parsed, as in CREATE
                    settings.add(new AlterFunctionActions.Setting(param, v.text()));
                } else {
                    throw FunctionDdlParser.syntax("expected a value for " + param, v);
                }
            } else if (acceptWord("SECURITY") || acceptWord("EXTERNAL") && expectedWord("SECURITY")) {
                Token mode = next();
                if (mode.isWord("DEFINER")) {
                    throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, fn + ": SECURITY DEFINER is not supported (wasm functions run with"
                            + " no SQL access, so only SECURITY INVOKER applies)");
                }
                if (!mode.isWord("INVOKER")) {
                    throw FunctionDdlParser.syntax("expected INVOKER or DEFINER after SECURITY", mode);
                }
            } else if (t.isWord("PARALLEL") || t.isWord("COST") || t.isWord("ROWS") || t.isWord("LEAKPROOF") || t.isWord("NOT")
                    || t.isWord("SUPPORT")) {
                throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, "ALTER FUNCTION … " + t.text().toUpperCase(Locale.ROOT)
                        + " is not supported for wasm functions (supported: IMMUTABLE | STABLE | VOLATILE, STRICT | CALLED ON NULL INPUT,"
                        + " SET/RESET " + FunctionLimits.MAX_MEMORY + ", " + FunctionLimits.FUEL + ", " + FunctionLimits.TIMEOUT + ", "
                        + FunctionLimits.GRANTS + ", RESET ALL, RENAME TO, OWNER TO)");
            } else if (t.kind() == Kind.END || t.isSymbol(';')) {
                throw FunctionDdlParser.syntax("expected an action after ALTER FUNCTION " + target.name()
                        + " (RENAME TO, OWNER TO, IMMUTABLE | STABLE | VOLATILE, STRICT | CALLED ON NULL INPUT, SET, RESET)", t);
            } else {
                throw FunctionDdlParser.syntax("unexpected " + t.describe() + " in ALTER FUNCTION " + target.name(), t);
            }
        } while (!peek().isWord("RESTRICT") && peek().kind() != Kind.END && !peek().isSymbol(';'));
        acceptWord("RESTRICT");
        return new AlterFunctionActions(target, volatility, strict, settings);
    }

    /** A SET/RESET parameter name of a function: one of the wasm.* limits (22023 for another wasm.*, 0A000 for the rest). */
    private String settingName(String fn) throws SQLException {
        String param = parameterName();
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
        expectWord(w);
        return true;
    }

    private void expectWords(String... words) throws SQLException {
        for (String w : words) {
            expectWord(w);
        }
    }

    /** A configuration parameter name: {@code word[.word]}, as in PostgreSQL's SET. */
    private String parameterName() throws SQLException {
        Token first = next();
        if (first.kind() != Kind.WORD && first.kind() != Kind.QUOTED_IDENT) {
            throw FunctionDdlParser.syntax("expected a configuration parameter name", first);
        }
        String param = first.text();
        if (acceptSymbol('.')) {
            Token second = next();
            if (second.kind() != Kind.WORD && second.kind() != Kind.QUOTED_IDENT) {
                throw FunctionDdlParser.syntax("expected a configuration parameter name after \"" + param + ".\"", second);
            }
            param += "." + second.text();
        }
        return param;
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token next() {
        Token t = tokens.get(index);
        if (t.kind() != Kind.END) {
            index++;
        }
        return t;
    }

    private boolean acceptWord(String w) {
        if (peek().isWord(w)) {
            index++;
            return true;
        }
        return false;
    }

    private boolean acceptSymbol(char c) {
        if (peek().isSymbol(c)) {
            index++;
            return true;
        }
        return false;
    }

    private void expectWord(String w) throws SQLException {
        if (!acceptWord(w)) {
            throw FunctionDdlParser.syntax("expected " + w, peek());
        }
    }
}
