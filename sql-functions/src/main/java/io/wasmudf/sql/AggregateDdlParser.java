package io.wasmudf.sql;

import static io.wasmudf.sql.TokenCursor.syntax;

import io.wasmudf.sql.SqlLexer.Kind;
import io.wasmudf.sql.SqlLexer.Token;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses {@code CREATE [OR REPLACE] AGGREGATE} and {@code DROP AGGREGATE} in PostgreSQL's syntax
 * (the form with an argument list; H2's own {@code CREATE AGGREGATE name FOR 'class'} never reaches
 * here, see {@link FunctionDdlParser#isFunctionDdl}). Called by {@link FunctionDdlParser#parse}.
 */
final class AggregateDdlParser {
    /** PostgreSQL attributes this implementation does not have (moving-aggregate mode, ordered sets, serialisation). */
    private static final Set<String> UNSUPPORTED = Set.of("FINALFUNC_EXTRA", "FINALFUNC_MODIFY", "SERIALFUNC", "DESERIALFUNC", "MSFUNC",
            "MINVFUNC", "MSTYPE", "MSSPACE", "MFINALFUNC", "MFINALFUNC_EXTRA", "MFINALFUNC_MODIFY", "MINITCOND", "SORTOP", "HYPOTHETICAL",
            "SSPACE", "BASETYPE");

    private final TokenCursor in;

    private AggregateDdlParser(List<Token> tokens) {
        this.in = new TokenCursor(tokens);
    }

    static WasmDdl parse(List<Token> tokens) throws SQLException {
        AggregateDdlParser p = new AggregateDdlParser(tokens);
        WasmDdl ddl = p.in.peek().isWord("DROP") ? p.parseDrop() : p.parseCreate();
        if (p.in.peek().isSymbol(';')) {
            p.in.skip();
        }
        if (p.in.peek().kind() != Kind.END) {
            throw syntax("unexpected " + p.in.peek().describe() + " after the end of the statement", p.in.peek());
        }
        return ddl;
    }

    private CreateAggregate parseCreate() throws SQLException {
        in.expectWord("CREATE");
        boolean orReplace = false;
        if (in.acceptWord("OR")) {
            in.expectWord("REPLACE");
            orReplace = true;
        }
        in.expectWord("AGGREGATE");
        QualifiedName name = in.qualifiedName("a name");
        List<SqlType> args = argTypes(name);
        in.expectSymbol('(');
        QualifiedName sfunc = null;
        QualifiedName finalFunc = null;
        QualifiedName combineFunc = null;
        SqlType stype = null;
        String initCond = null;
        String parallel = null;
        Set<String> seen = new HashSet<>();
        do {
            Token attr = in.next();
            if (attr.kind() != Kind.WORD && attr.kind() != Kind.QUOTED_IDENT) {
                throw syntax("expected an aggregate attribute such as SFUNC or STYPE", attr);
            }
            String a = attr.text().toUpperCase(Locale.ROOT);
            a = switch (a) {
                case "SFUNC1" -> "SFUNC";
                case "STYPE1" -> "STYPE";
                case "INITCOND1" -> "INITCOND";
                default -> a;
            };
            if (!seen.add(a)) {
                throw SqlStates.error(SqlStates.SYNTAX_ERROR, "conflicting or redundant options: aggregate attribute \""
                        + a.toLowerCase(Locale.ROOT) + "\" given twice");
            }
            in.expectSymbol('=');
            switch (a) {
                case "SFUNC" -> sfunc = in.qualifiedName("a name");
                case "FINALFUNC" -> finalFunc = in.qualifiedName("a name");
                case "COMBINEFUNC" -> combineFunc = in.qualifiedName("a name");
                case "STYPE" -> stype = stateType(name);
                case "INITCOND" -> {
                    Token v = in.next();
                    if (v.kind() != Kind.STRING && v.kind() != Kind.NUMBER && v.kind() != Kind.WORD) {
                        throw syntax("expected a string literal after INITCOND =", v);
                    }
                    initCond = v.text();
                }
                case "PARALLEL" -> {
                    Token mode = in.next();
                    if (!(mode.isWord("SAFE") || mode.isWord("UNSAFE") || mode.isWord("RESTRICTED"))) {
                        throw SqlStates.error(SqlStates.SYNTAX_ERROR, "parameter \"parallel\" must be SAFE, RESTRICTED, or UNSAFE");
                    }
                    parallel = mode.text().toLowerCase(Locale.ROOT);
                }
                default -> {
                    if (UNSUPPORTED.contains(a)) {
                        throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, "aggregate " + name + ": attribute \"" + a.toLowerCase(Locale.ROOT)
                                + "\" is not supported by wasm aggregates (they take SFUNC, STYPE, FINALFUNC, COMBINEFUNC, INITCOND, PARALLEL)");
                    }
                    // PostgreSQL only warns and ignores it; silently ignoring a misspelt attribute is worse, so this refuses it
                    throw SqlStates.error(SqlStates.SYNTAX_ERROR, "aggregate attribute \"" + attr.text().toLowerCase(Locale.ROOT) + "\" not recognized");
                }
            }
        } while (in.acceptSymbol(','));
        in.expectSymbol(')');
        if (stype == null) {
            throw SqlStates.error(SqlStates.INVALID_FUNCTION_DEFINITION, "aggregate stype must be specified");
        }
        if (sfunc == null) {
            throw SqlStates.error(SqlStates.INVALID_FUNCTION_DEFINITION, "aggregate sfunc must be specified");
        }
        return new CreateAggregate(orReplace, name, args, sfunc, stype, finalFunc, combineFunc, initCond, parallel == null ? "unsafe" : parallel);
    }

    private DropAggregate parseDrop() throws SQLException {
        in.expectWord("DROP");
        in.expectWord("AGGREGATE");
        boolean ifExists = false;
        if (in.acceptWord("IF")) {
            in.expectWord("EXISTS");
            ifExists = true;
        }
        List<DropAggregate.Target> targets = new ArrayList<>();
        do {
            QualifiedName name = in.qualifiedName("a name");
            targets.add(new DropAggregate.Target(name, argTypes(name)));
        } while (in.acceptSymbol(','));
        if (!in.acceptWord("RESTRICT")) {
            in.acceptWord("CASCADE"); // nothing depends on an aggregate in the catalog we track
        }
        return new DropAggregate(ifExists, targets);
    }

    /** {@code ( [[name] type [, …]] )}; {@code (*)} and ordered-set forms are refused. */
    private List<SqlType> argTypes(QualifiedName agg) throws SQLException {
        in.expectSymbol('(');
        List<SqlType> types = new ArrayList<>();
        if (in.acceptSymbol(')')) {
            return types;
        }
        if (in.peek().isSymbol('*')) {
            throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, "aggregate " + agg + ": zero-argument aggregates (*) are not supported");
        }
        do {
            int start = in.index();
            int depth = 0;
            while (true) {
                Token t = in.peek();
                if (t.kind() == Kind.END) {
                    throw syntax("unterminated argument list", t);
                }
                if (depth == 0 && (t.isSymbol(',') || t.isSymbol(')'))) {
                    break;
                }
                if (t.isWord("ORDER") || t.isWord("VARIADIC") || t.isWord("OUT") || t.isWord("INOUT")) {
                    throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, "aggregate " + agg + ": " + t.text().toUpperCase(Locale.ROOT)
                            + " in the argument list is not supported by wasm aggregates");
                }
                depth += t.isSymbol('(') ? 1 : t.isSymbol(')') ? -1 : 0;
                in.skip();
            }
            List<Token> toks = in.slice(start, in.index());
            if (!toks.isEmpty() && toks.get(0).isWord("IN") && toks.size() > 1) {
                toks = toks.subList(1, toks.size());
            }
            types.add(typeOrNamedType(toks));
        } while (in.acceptSymbol(','));
        in.expectSymbol(')');
        return types;
    }

    private SqlType typeOrNamedType(List<Token> toks) throws SQLException {
        if (toks.isEmpty()) {
            throw syntax("missing argument type", in.peek());
        }
        SqlType t = FunctionDdlParser.typeOf(toks);
        if (t == null && toks.size() > 1 && (toks.get(0).kind() == Kind.WORD || toks.get(0).kind() == Kind.QUOTED_IDENT)) {
            t = FunctionDdlParser.typeOf(toks.subList(1, toks.size()));
        }
        if (t == null) {
            throw unsupported(toks);
        }
        return t;
    }

    /** The STYPE: the tokens up to the next {@code ,} or {@code )} at this level. */
    private SqlType stateType(QualifiedName agg) throws SQLException {
        int start = in.index();
        int depth = 0;
        while (in.peek().kind() != Kind.END && !(depth == 0 && (in.peek().isSymbol(',') || in.peek().isSymbol(')')))) {
            depth += in.peek().isSymbol('(') ? 1 : in.peek().isSymbol(')') ? -1 : 0;
            in.skip();
        }
        List<Token> toks = in.slice(start, in.index());
        if (toks.isEmpty()) {
            throw syntax("expected a type after STYPE =", in.peek());
        }
        SqlType t = FunctionDdlParser.typeOf(toks);
        if (t == null) {
            throw unsupported(toks);
        }
        return t;
    }

    private static SQLException unsupported(List<Token> toks) {
        return SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, "type \"" + TokenCursor.text(toks) + "\" is not supported by wasm functions (use "
                + SqlTypes.describeSupported() + ")");
    }
}
