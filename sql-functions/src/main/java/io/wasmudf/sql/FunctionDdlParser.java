package io.wasmudf.sql;

import static io.wasmudf.sql.TokenCursor.syntax;

import io.wasmudf.sql.SqlLexer.Kind;
import io.wasmudf.sql.SqlLexer.Token;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the PostgreSQL-syntax function DDL the {@code jdbc:wasm:} driver intercepts:
 * {@code CREATE [OR REPLACE] FUNCTION … LANGUAGE wasm} and {@code DROP FUNCTION}. Options after
 * {@code RETURNS type} may come in any order, as in PostgreSQL; each may be given once.
 */
public final class FunctionDdlParser {
    private final TokenCursor in;

    private FunctionDdlParser(List<Token> tokens) {
        this.in = new TokenCursor(tokens);
    }

    /**
     * True when {@code sql} starts (after comments) with {@code CREATE [OR REPLACE] FUNCTION},
     * {@code DROP FUNCTION}, {@code ALTER FUNCTION}, {@code COMMENT ON FUNCTION}, a GRANT/REVOKE on
     * functions or LANGUAGE wasm, or is PostgreSQL's {@code CREATE [OR REPLACE] AGGREGATE name (…)}
     * or {@code DROP AGGREGATE name (…)}: the statements H2 does not have and the driver handles
     * itself (H2's own {@code CREATE AGGREGATE name FOR 'class'} and {@code DROP AGGREGATE name}
     * have no argument list and go to H2).
     */
    public static boolean isFunctionDdl(String sql) {
        int i = SqlLexer.skipSpaceAndComments(sql, 0);
        String first = word(sql, i);
        if (first.equalsIgnoreCase("GRANT") || first.equalsIgnoreCase("REVOKE")) {
            return isFunctionGrant(sql);
        }
        if (first.equalsIgnoreCase("DROP")) {
            String w = word(sql, SqlLexer.skipSpaceAndComments(sql, i + 4));
            return w.equalsIgnoreCase("FUNCTION") || w.equalsIgnoreCase("AGGREGATE") && isAggregateForm(sql);
        }
        if (first.equalsIgnoreCase("ALTER")) {
            return word(sql, SqlLexer.skipSpaceAndComments(sql, i + 5)).equalsIgnoreCase("FUNCTION");
        }
        if (first.equalsIgnoreCase("COMMENT")) {
            int on = SqlLexer.skipSpaceAndComments(sql, i + 7);
            return word(sql, on).equalsIgnoreCase("ON")
                    && word(sql, SqlLexer.skipSpaceAndComments(sql, on + 2)).equalsIgnoreCase("FUNCTION");
        }
        if (!first.equalsIgnoreCase("CREATE")) {
            return false;
        }
        i = SqlLexer.skipSpaceAndComments(sql, i + 6);
        String w = word(sql, i);
        if (w.equalsIgnoreCase("OR")) {
            i = SqlLexer.skipSpaceAndComments(sql, i + 2);
            if (!word(sql, i).equalsIgnoreCase("REPLACE")) {
                return false;
            }
            i = SqlLexer.skipSpaceAndComments(sql, i + 7);
            w = word(sql, i);
        }
        return w.equalsIgnoreCase("FUNCTION") || w.equalsIgnoreCase("AGGREGATE") && isAggregateForm(sql);
    }

    /** Whether the name after AGGREGATE (and IF [NOT] EXISTS) is followed by an argument list. */
    private static boolean isAggregateForm(String sql) {
        List<Token> toks;
        try {
            toks = SqlLexer.tokenize(sql);
        } catch (SQLException e) {
            // e.g. a(*), which the lexer has no token for: still ours, to be refused with a clear message
            return AGGREGATE_WITH_ARGS.matcher(sql).find();
        }
        int i = 0;
        while (i < toks.size() && !toks.get(i).isWord("AGGREGATE")) {
            i++;
        }
        i++;
        if (i < toks.size() && toks.get(i).isWord("IF")) {
            i += toks.get(i + 1).isWord("NOT") ? 3 : 2;
        }
        i++;
        if (i + 1 < toks.size() && toks.get(i).isSymbol('.')) {
            i += 2;
        }
        return i < toks.size() && toks.get(i).isSymbol('(');
    }

    private static final java.util.regex.Pattern AGGREGATE_WITH_ARGS = java.util.regex.Pattern.compile(
            "(?is)\\bAGGREGATE\\s+(IF\\s+(NOT\\s+)?EXISTS\\s+)?(\"[^\"]*\"|[\\w$]+)(\\s*\\.\\s*(\"[^\"]*\"|[\\w$]+))?\\s*\\(");
    private static final java.util.regex.Pattern STAR_ARGS = java.util.regex.Pattern.compile(
            "(?is)\\s*(CREATE\\s+(OR\\s+REPLACE\\s+)?|DROP\\s+)AGGREGATE\\s+(IF\\s+EXISTS\\s+)?(\"[^\"]*\"|[\\w$]+)(\\s*\\.\\s*(\"[^\"]*\"|[\\w$]+))?\\s*\\(\\s*\\*\\s*\\).*");

    /** Whether {@code tokens} start with CREATE [OR REPLACE] AGGREGATE or DROP AGGREGATE. */
    private static boolean isAggregate(List<Token> tokens) {
        int i = tokens.get(0).isWord("DROP") ? 1 : tokens.get(1).isWord("OR") ? 3 : 1;
        return i < tokens.size() && tokens.get(i).isWord("AGGREGATE");
    }

    private static String word(String s, int from) {
        int end = from;
        while (end < s.length() && Character.isLetter(s.charAt(end))) {
            end++;
        }
        return s.substring(from, end);
    }

    /**
     * Parses one statement (a trailing {@code ;} is allowed).
     *
     * @throws SQLException 42601 on a syntax error, 22023 on a malformed hex literal, 42704 for a
     *                      language other than wasm, 0A000 for unsupported forms (SETOF, OUT parameters)
     */
    public static WasmDdl parse(String sql) throws SQLException {
        if (STAR_ARGS.matcher(sql).matches()) {
            throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, "zero-argument aggregates (*) are not supported by wasm aggregates");
        }
        List<Token> tokens = SqlLexer.tokenize(sql);
        if (tokens.size() > 3 && isAggregate(tokens)) {
            return AggregateDdlParser.parse(tokens);
        }
        FunctionDdlParser p = new FunctionDdlParser(tokens);
        WasmDdl ddl;
        if (p.in.peek().isWord("GRANT") || p.in.peek().isWord("REVOKE")) {
            ddl = p.parseGrant();
        } else if (p.in.peek().isWord("ALTER")) {
            ddl = p.parseAlter();
        } else if (p.in.peek().isWord("DROP")) {
            ddl = p.parseDrop();
        } else if (p.in.peek().isWord("COMMENT")) {
            ddl = p.parseComment();
        } else {
            ddl = p.parseCreate();
        }
        if (p.in.peek().isSymbol(';')) {
            p.in.skip();
        }
        if (p.in.peek().kind() != Kind.END) {
            throw p.in.syntax("unexpected " + p.in.peek().describe() + " after the end of the statement");
        }
        return ddl;
    }

    // ---- GRANT / REVOKE on functions and LANGUAGE wasm ---------------------------------------

    /** Whether a GRANT or REVOKE names {@code ON FUNCTION}, {@code ON ROUTINE} or {@code ON LANGUAGE} (the rest is H2's). */
    private static boolean isFunctionGrant(String sql) {
        List<Token> toks;
        try {
            toks = SqlLexer.tokenize(sql);
        } catch (SQLException e) {
            return false;
        }
        for (int i = 1; i + 1 < toks.size(); i++) {
            if (toks.get(i).isWord("ON")) {
                Token k = toks.get(i + 1);
                return k.isWord("FUNCTION") || k.isWord("ROUTINE") || k.isWord("LANGUAGE");
            }
            if (toks.get(i).isWord("TO") || toks.get(i).isWord("FROM")) {
                return false;
            }
        }
        return false;
    }

    private FunctionGrant parseGrant() throws SQLException {
        boolean grant = in.next().isWord("GRANT");
        if (!grant && in.peek().isWord("GRANT")) {
            throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, "GRANT OPTION is not supported");
        }
        List<String> privileges = new ArrayList<>();
        do {
            Token t = in.next();
            if (t.kind() != Kind.WORD) {
                throw syntax("expected a privilege", t);
            }
            privileges.add(t.text().toUpperCase(Locale.ROOT));
            if (privileges.get(privileges.size() - 1).equals("ALL")) {
                in.acceptWord("PRIVILEGES");
            }
        } while (in.acceptSymbol(','));
        in.expectWord("ON");
        boolean language = in.acceptWord("LANGUAGE");
        if (!language && !in.acceptWord("FUNCTION") && !in.acceptWord("ROUTINE")) {
            throw in.syntax("expected FUNCTION, ROUTINE or LANGUAGE");
        }
        String allowed = language ? "USAGE" : "EXECUTE";
        for (String p : privileges) {
            if (!p.equals(allowed) && !p.equals("ALL")) {
                throw SqlStates.error("0LP01", "invalid privilege type " + p + " for " + (language ? "language" : "function"));
            }
        }
        List<DropFunction.Target> functions = new ArrayList<>();
        if (language) {
            Identifier l = in.identifier("a language name");
            if (!l.pgName().equals("wasm")) {
                throw SqlStates.error(SqlStates.UNDEFINED_OBJECT, "language \"" + l.pgName() + "\" does not exist (only wasm is managed here)");
            }
        } else {
            do {
                functions.add(target());
            } while (in.acceptSymbol(','));
        }
        in.expectWord(grant ? "TO" : "FROM");
        List<Identifier> grantees = new ArrayList<>();
        do {
            in.acceptWord("GROUP");
            grantees.add(in.identifier("a role name"));
        } while (in.acceptSymbol(','));
        if (grant && in.acceptWord("WITH")) {
            throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, "WITH GRANT OPTION is not supported");
        }
        if (in.acceptWord("GRANTED")) {
            in.expectWord("BY");
            in.identifier("a role name");
        }
        if (!grant && !in.acceptWord("CASCADE")) {
            in.acceptWord("RESTRICT");
        }
        return new FunctionGrant(grant, language, functions, grantees);
    }

    // ---- CREATE FUNCTION -------------------------------------------------------------------

    private CreateFunction parseCreate() throws SQLException {
        in.expectWord("CREATE");
        boolean orReplace = false;
        if (in.acceptWord("OR")) {
            in.expectWord("REPLACE");
            orReplace = true;
        }
        in.expectWord("FUNCTION");
        QualifiedName name = in.qualifiedName("a function name");
        List<FunctionParameter> params = parameterList(true);
        if (!in.acceptWord("RETURNS")) {
            throw in.syntax("expected RETURNS after the parameter list of function " + name);
        }
        List<FunctionParameter> tableColumns = null;
        SqlType returnType;
        if (in.acceptWord("SETOF")) {
            returnType = type("element type of function " + name);
            tableColumns = List.of(new FunctionParameter(null, returnType)); // unnamed: SETOF (the column is named after the function)
        } else if (in.peek().isWord("TABLE") && in.peekNext().isSymbol('(')) {
            in.skip();
            tableColumns = parameterList(true);
            if (tableColumns.isEmpty()) {
                throw in.syntax("RETURNS TABLE needs at least one column");
            }
            for (FunctionParameter c : tableColumns) {
                if (c.name() == null) {
                    throw in.syntax("a column of RETURNS TABLE needs a name (RETURNS TABLE (name type, …))");
                }
            }
            returnType = tableColumns.get(0).type();
        } else {
            returnType = type("return type of function " + name);
        }

        String language = null;
        Volatility volatility = null;
        Boolean strict = null;
        ModuleSource source = null;
        FunctionLimits limits = FunctionLimits.NONE;
        java.util.Set<String> limitNames = new java.util.HashSet<>();
        while (in.peek().kind() != Kind.END && !in.peek().isSymbol(';')) {
            Token t = in.peek();
            if (in.acceptWord("LANGUAGE")) {
                once(language, "LANGUAGE");
                Token l = in.next();
                if (l.kind() != Kind.WORD && l.kind() != Kind.STRING && l.kind() != Kind.QUOTED_IDENT) {
                    throw syntax("expected a language name after LANGUAGE", l);
                }
                language = l.text();
            } else if (t.isWord("IMMUTABLE") || t.isWord("STABLE") || t.isWord("VOLATILE")) {
                once(volatility, "volatility (IMMUTABLE | STABLE | VOLATILE)");
                in.next();
                volatility = Volatility.valueOf(t.text().toUpperCase(Locale.ROOT));
            } else if (in.acceptWord("STRICT")) {
                once(strict, "null-input behaviour (STRICT | CALLED ON NULL INPUT)");
                strict = true;
            } else if (in.acceptWord("RETURNS")) {
                once(strict, "null-input behaviour (STRICT | CALLED ON NULL INPUT)");
                in.expectWord("NULL");
                in.expectWord("ON");
                in.expectWord("NULL");
                in.expectWord("INPUT");
                strict = true;
            } else if (in.acceptWord("CALLED")) {
                once(strict, "null-input behaviour (STRICT | CALLED ON NULL INPUT)");
                in.expectWord("ON");
                in.expectWord("NULL");
                in.expectWord("INPUT");
                strict = false;
            } else if (in.acceptWord("SET")) {
                String param = in.parameterName("a configuration parameter name after SET");
                if (!FunctionLimits.isParameter(param)) {
                    throw SqlStates.error(param.toLowerCase(Locale.ROOT).startsWith("wasm.")
                            ? SqlStates.INVALID_PARAMETER_VALUE : SqlStates.FEATURE_NOT_SUPPORTED,
                            "function " + name + ": " + (param.toLowerCase(Locale.ROOT).startsWith("wasm.") ? "unrecognized configuration parameter \"" + param + "\""
                                    : "SET " + param + " is not supported") + "; wasm functions accept SET " + FunctionLimits.MAX_MEMORY + ", "
                                    + FunctionLimits.FUEL + ", " + FunctionLimits.TIMEOUT + " and " + FunctionLimits.GRANTS);
                }
                if (!limitNames.add(param.toLowerCase(Locale.ROOT))) {
                    once(param, "SET " + param);
                }
                if (in.peek().isWord("FROM")) {
                    throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, "function " + name + ": SET " + param + " FROM CURRENT is not supported");
                }
                if (!in.acceptWord("TO") && !in.acceptSymbol('=')) {
                    throw in.syntax("expected TO or = after SET " + param);
                }
                Token v = in.next();
                if (v.kind() != Kind.NUMBER && v.kind() != Kind.STRING && v.kind() != Kind.WORD) {
                    throw syntax("expected a value for " + param, v);
                }
                limits = limits.with(param, v.text());
            } else if (in.acceptWord("AS")) {
                once(source, "AS");
                source = definition(name);
            } else if (in.acceptWord("PARALLEL")) {
                Token mode = in.next();
                if (!(mode.isWord("SAFE") || mode.isWord("UNSAFE") || mode.isWord("RESTRICTED"))) {
                    throw syntax("expected SAFE, UNSAFE or RESTRICTED after PARALLEL", mode);
                }
            } else if (in.acceptWord("NOT")) {
                in.expectWord("LEAKPROOF");
            } else if (in.acceptWord("LEAKPROOF")) {
                // accepted for PostgreSQL compatibility; wasm functions cannot leak through side channels we track
            } else if (in.acceptWord("COST") || in.acceptWord("ROWS")) {
                Token n = in.next();
                if (n.kind() != Kind.NUMBER) {
                    throw syntax("expected a number", n);
                }
            } else if (in.acceptWord("EXTERNAL") || in.peek().isWord("SECURITY")) {
                in.expectWord("SECURITY");
                Token mode = in.next();
                if (!(mode.isWord("INVOKER") || mode.isWord("DEFINER"))) {
                    throw syntax("expected INVOKER or DEFINER after SECURITY", mode);
                }
            } else {
                throw syntax("unexpected " + t.describe() + " in CREATE FUNCTION " + name, t);
            }
        }
        if (language == null) {
            throw SqlStates.error(SqlStates.INVALID_FUNCTION_DEFINITION, "function " + name + ": no language specified (add LANGUAGE wasm)");
        }
        if (!language.equalsIgnoreCase("wasm")) {
            throw SqlStates.error(SqlStates.UNDEFINED_OBJECT,
                    "function " + name + ": language \"" + language + "\" is not supported; only LANGUAGE wasm is");
        }
        if (source == null) {
            throw SqlStates.error(SqlStates.INVALID_FUNCTION_DEFINITION,
                    "function " + name + ": no function body specified (add AS '\\x…', AS X'…', AS ? or AS 'module', 'export')");
        }
        if (tableColumns != null && strict != null && !strict) {
            throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, "function " + name + ": set-returning wasm functions must be STRICT"
                    + " for now (no rows for a NULL argument); write STRICT");
        }
        return new CreateFunction(orReplace, name, params,
                returnType, volatility == null ? Volatility.VOLATILE : volatility, strict != null && strict, source, limits, tableColumns,
                strict != null);
    }

    private ModuleSource definition(QualifiedName fn) throws SQLException {
        Token t = in.next();
        if (t.isSymbol('?')) {
            return new ModuleSource.BoundParameter(exportName());
        }
        if (t.kind() == Kind.HEX_STRING) {
            byte[] bytes = Hex.decode(t.text(), "function " + fn + ": binary literal");
            return new ModuleSource.Inline(bytes, exportName());
        }
        if (t.kind() != Kind.STRING) {
            throw syntax("expected '\\x…', X'…', ?, '(module …)' or 'module', 'export' after AS", t);
        }
        if (t.text().startsWith("\\x")) {
            byte[] bytes = Hex.decode(t.text().substring(2), "function " + fn + ": bytea literal");
            return new ModuleSource.Inline(bytes, exportName());
        }
        String export = exportName();
        return WatText.isText(t.text()) ? new ModuleSource.Text(t.text(), export) : new ModuleSource.CatalogModule(t.text(), export);
    }

    /** The optional {@code , 'export'} after the module of an AS clause (PostgreSQL's {@code AS 'obj_file', 'link_symbol'}); null when absent. */
    private String exportName() throws SQLException {
        if (!in.peek().isSymbol(',')) {
            return null;
        }
        in.next();
        Token e = in.next();
        if (e.kind() != Kind.STRING) {
            throw syntax("expected the export name as a string literal after the module and ','", e);
        }
        return e.text();
    }

    static void once(Object previous, String what) throws SQLException {
        if (previous != null) {
            throw SqlStates.error(SqlStates.SYNTAX_ERROR, "conflicting or redundant options: " + what + " given twice");
        }
    }

    // ---- DROP FUNCTION ---------------------------------------------------------------------

    private DropFunction parseDrop() throws SQLException {
        in.expectWord("DROP");
        in.expectWord("FUNCTION");
        boolean ifExists = false;
        if (in.acceptWord("IF")) {
            in.expectWord("EXISTS");
            ifExists = true;
        }
        List<DropFunction.Target> targets = new ArrayList<>();
        do {
            targets.add(target());
        } while (in.acceptSymbol(','));
        if (!in.acceptWord("RESTRICT") && in.acceptWord("CASCADE")) {
            // CASCADE has nothing to cascade to: no SQL object depends on a function in H2's catalog we track
        }
        return new DropFunction(ifExists, targets);
    }

    // ---- COMMENT ON FUNCTION ---------------------------------------------------------------

    private CommentOnFunction parseComment() throws SQLException {
        in.expectWord("COMMENT");
        in.expectWord("ON");
        in.expectWord("FUNCTION");
        DropFunction.Target target = target();
        in.expectWord("IS");
        Token t = in.next();
        if (t.isWord("NULL")) {
            return new CommentOnFunction(target, null);
        }
        if (t.kind() != Kind.STRING) {
            throw syntax("expected a string literal or NULL after IS", t);
        }
        return new CommentOnFunction(target, t.text().isEmpty() ? null : t.text());
    }

    // ---- ALTER FUNCTION --------------------------------------------------------------------

    /**
     * {@code ALTER FUNCTION name [(argtypes)] RENAME TO new | OWNER TO role | action [...] [RESTRICT]};
     * changing the module or the signature is CREATE OR REPLACE's job.
     */
    private WasmDdl parseAlter() throws SQLException {
        in.expectWord("ALTER");
        in.expectWord("FUNCTION");
        DropFunction.Target target = target();
        if (in.acceptWord("OWNER")) {
            in.expectWord("TO");
            return new AlterFunctionOwner(target, in.identifier("a role name"));
        }
        if (in.acceptWord("RENAME")) {
            in.expectWord("TO");
            return new AlterFunctionRename(target, in.identifier("the new function name"));
        }
        return new AlterActionsParser(in).parse(target);
    }

    // ---- shared pieces ---------------------------------------------------------------------

    /** {@code name [(argtypes)]}, a function named by DROP or COMMENT. */
    private DropFunction.Target target() throws SQLException {
        QualifiedName name = in.qualifiedName("a function name");
        List<SqlType> types = null;
        if (in.peek().isSymbol('(')) {
            types = new ArrayList<>();
            for (FunctionParameter p : parameterList(false)) {
                types.add(p.type());
            }
        }
        return new DropFunction.Target(name, types);
    }

    /** {@code ( [[IN] [name] type [, …]] )}; names are allowed only when {@code named}. */
    private List<FunctionParameter> parameterList(boolean named) throws SQLException {
        in.expectSymbol('(');
        List<FunctionParameter> params = new ArrayList<>();
        if (in.acceptSymbol(')')) {
            return params;
        }
        do {
            int start = in.index();
            int end = start;
            int depth = 0;
            while (true) {
                Token t = in.at(end);
                if (t.kind() == Kind.END) {
                    throw syntax("unterminated parameter list", t);
                }
                if (depth == 0 && (t.isSymbol(',') || t.isSymbol(')'))) {
                    break;
                }
                if (t.isSymbol('(')) {
                    depth++;
                } else if (t.isSymbol(')')) {
                    depth--;
                }
                end++;
            }
            params.add(parameter(in.slice(start, end)));
            in.seek(end);
        } while (in.acceptSymbol(','));
        in.expectSymbol(')');
        return params;
    }

    private FunctionParameter parameter(List<Token> toks) throws SQLException {
        if (toks.isEmpty()) {
            throw syntax("missing parameter type", in.peek());
        }
        Token first = toks.get(0);
        if (first.isWord("OUT") || first.isWord("INOUT") || first.isWord("VARIADIC")) {
            throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, first.text().toUpperCase(Locale.ROOT) + " parameters are not supported");
        }
        if (first.isWord("IN") && toks.size() > 1) {
            toks = toks.subList(1, toks.size());
        }
        SqlType asType = typeOf(toks);
        if (asType != null) {
            return new FunctionParameter(null, asType);
        }
        Token name = toks.get(0);
        if (toks.size() > 1 && (name.kind() == Kind.WORD || name.kind() == Kind.QUOTED_IDENT)) {
            SqlType t = typeOf(toks.subList(1, toks.size()));
            if (t != null) {
                return new FunctionParameter(name.kind() == Kind.WORD ? name.text().toLowerCase(Locale.ROOT) : name.text(), t);
            }
        }
        // "x money" names a parameter x; "time with time zone" and "bit varying(3)" are one type
        boolean typeFirst = first.kind() == Kind.WORD && MULTI_WORD_TYPE_STARTS.contains(first.text().toLowerCase(Locale.ROOT));
        throw unsupported(toks.size() > 1 && !typeFirst && toks.get(1).kind() == Kind.WORD ? toks.subList(1, toks.size()) : toks);
    }

    /** First words of PostgreSQL's multi-word type names, so an unsupported one is named whole. */
    private static final java.util.Set<String> MULTI_WORD_TYPE_STARTS = java.util.Set.of("time", "timestamp", "double", "character", "char",
            "bit", "national", "interval", "varchar");

    private SqlType type(String what) throws SQLException {
        int start = in.index();
        int end = start;
        // words, one "(n [, m])" anywhere among them (timestamp(3) with time zone), "[n]" or ARRAY suffixes
        while (true) {
            Token t = in.at(end);
            if (t.kind() == Kind.WORD && !isOptionKeyword(t)) {
                end++;
            } else if (t.isSymbol('(') || t.isSymbol('[')) {
                char close = t.isSymbol('(') ? ')' : ']';
                while (!in.at(end).isSymbol(close) && in.at(end).kind() != Kind.END) {
                    end++;
                }
                if (in.at(end).kind() == Kind.END) {
                    break;
                }
                end++;
            } else {
                break;
            }
        }
        if (end == start) {
            throw syntax("expected " + what, in.at(start));
        }
        List<Token> toks = in.slice(start, Math.min(end, in.size() - 1));
        SqlType t = typeOf(toks);
        if (t == null) {
            throw unsupported(toks);
        }
        in.seek(end);
        return t;
    }

    /** A type that is not supported (or not a type): 0A000 naming it and listing the supported ones. */
    private static SQLException unsupported(List<Token> toks) {
        return SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, "type \"" + TokenCursor.text(toks)
                + "\" is not supported by wasm functions (use " + SqlTypes.describeSupported() + ", or a one-dimensional array of one of them)");
    }

    private static boolean isOptionKeyword(Token t) {
        for (String k : new String[] {"LANGUAGE", "IMMUTABLE", "STABLE", "VOLATILE", "STRICT", "RETURNS", "CALLED", "AS",
                "PARALLEL", "NOT", "LEAKPROOF", "COST", "ROWS", "SECURITY", "EXTERNAL", "SET"}) {
            if (t.isWord(k)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The type named by all of {@code toks}, or null: words with at most one {@code (n [, m])}
     * modifier among them, then any number of {@code []}, {@code [n]} or {@code ARRAY [n]}
     * suffixes, which all make the one-dimensional array type (PostgreSQL ignores the declared
     * dimensions too).
     */
    static SqlType typeOf(List<Token> toks) {
        List<String> words = new ArrayList<>();
        List<Integer> modifiers = new ArrayList<>();
        boolean modified = false;
        boolean array = false;
        int i = 0;
        while (i < toks.size()) {
            Token t = toks.get(i);
            if (t.kind() == Kind.WORD && !array && !t.isWord("ARRAY")) {
                words.add(t.text().toLowerCase(Locale.ROOT));
                i++;
            } else if (t.isSymbol('(') && !modified && !words.isEmpty() && !array) {
                // type modifiers: ( number [, number] )
                modified = true;
                i++;
                while (i < toks.size() && (toks.get(i).kind() == Kind.NUMBER || toks.get(i).isSymbol(','))) {
                    if (toks.get(i).kind() == Kind.NUMBER) {
                        try {
                            modifiers.add(Integer.parseInt(toks.get(i).text()));
                        } catch (NumberFormatException e) {
                            return null;
                        }
                    }
                    i++;
                }
                if (i >= toks.size() || !toks.get(i).isSymbol(')')) {
                    return null;
                }
                i++;
            } else if (t.isWord("ARRAY") && !words.isEmpty()) {
                array = true;
                i++;
            } else if (t.isSymbol('[') && !words.isEmpty()) {
                array = true;
                i++;
                if (i < toks.size() && toks.get(i).kind() == Kind.NUMBER) {
                    i++;
                }
                if (i >= toks.size() || !toks.get(i).isSymbol(']')) {
                    return null;
                }
                i++;
            } else {
                return null;
            }
        }
        if (words.isEmpty()) {
            return null;
        }
        SqlType t = SqlTypes.resolve(words, modifiers);
        return t == null || !array ? t : SqlTypes.arrayOf(t);
    }
}
