package io.wasmudf.pg;

import io.wasmudf.pg.StatementLexer.Kind;
import io.wasmudf.pg.StatementLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One statement as the server sees it before anything runs: its text, its tokens (lexed as H2
 * will lex them) and what can be read off them without a parser: the statement kind, the
 * functions it calls and the relations in its FROM clauses. Literals, quoted text and comments
 * are single tokens, so nothing inside them ever matches.
 */
final class SqlStatement {
    final String sql;
    final List<Token> tokens;
    /** The kind as H2's parser dispatches it, e.g. "SELECT", "CREATE ALIAS", "DROP ALL OBJECTS", "SET TRACE_LEVEL_FILE". */
    final String kind;

    /** Parenthesis depth of each token (a parenthesis itself counts as outside). */
    private final int[] depths;

    private SqlStatement(String sql, List<Token> tokens) {
        this.sql = sql;
        this.tokens = tokens;
        this.kind = kindAt(0);
        this.depths = new int[tokens.size()];
        int d = 0;
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).isSymbol(")")) {
                d = Math.max(0, d - 1);
            }
            depths[i] = d;
            if (tokens.get(i).isSymbol("(")) {
                d++;
            }
        }
    }

    /** How many parentheses enclose token {@code i}. */
    int depth(int i) {
        return depths[i];
    }

    /** Lexes {@code sql}; a lexing error is a syntax error (42601), as H2 would report it. */
    static SqlStatement of(String sql) throws java.sql.SQLException {
        try {
            return new SqlStatement(sql, StatementLexer.lex(sql));
        } catch (StatementLexer.LexException e) {
            throw new java.sql.SQLException("syntax error: " + e.getMessage(), "42601");
        }
    }

    boolean isEmpty() {
        return tokens.isEmpty();
    }

    /** The upper-case word at token {@code i}, or "" when it is not an unquoted word. */
    String word(int i) {
        return i >= 0 && i < tokens.size() && tokens.get(i).kind() == Kind.WORD ? tokens.get(i).value() : "";
    }

    boolean symbol(int i, String s) {
        return i < tokens.size() && tokens.get(i).isSymbol(s);
    }

    /** True when the text holds more than one statement (H2 would run every one of them). */
    boolean hasSeveralStatements() {
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).isSymbol(";") && i + 1 < tokens.size()) {
                return true;
            }
        }
        return false;
    }

    /** A query: H2 reads SELECT, TABLE, VALUES, WITH and a parenthesis as the start of one. */
    boolean isQuery() {
        return kind.equals("SELECT");
    }

    /** Index of the first token of the statement's body after {@code n} leading words. */
    private String kindAt(int i) {
        String w = word(i);
        if (symbol(i, "(")) {
            return "SELECT";
        }
        if (symbol(i, "?") || symbol(i, "{")) {
            return "CALL";
        }
        switch (w) {
            case "SELECT":
            case "TABLE":
            case "VALUES":
            case "WITH":
                return "SELECT";
            case "CREATE":
            case "DECLARE": // H2 reads DECLARE exactly like CREATE (DECLARE GLOBAL TEMPORARY TABLE, but also DECLARE ALIAS...)
                return "CREATE " + createdObject(i + 1);
            case "DROP":
                return "DROP " + droppedObject(i + 1);
            case "ALTER":
                return "ALTER " + word(i + 1);
            case "SET":
                return "SET " + setName(i + 1);
            case "EXPLAIN": {
                int j = i + 1;
                if (word(j).equals("ANALYZE")) {
                    j++;
                } else if (word(j).equals("PLAN") && word(j + 1).equals("FOR")) {
                    j += 2;
                }
                return "EXPLAIN " + kindAt(j);
            }
            case "EXECUTE":
                return word(i + 1).equals("IMMEDIATE") ? "EXECUTE IMMEDIATE" : "EXECUTE";
            case "PREPARE":
                if (word(i + 1).equals("COMMIT") || word(i + 1).equals("TRANSACTION")) {
                    return "PREPARE TRANSACTION";
                }
                return "PREPARE " + kindAt(indexOfWord("AS", i + 1) + 1);
            case "COMMIT":
            case "ROLLBACK":
                // H2's COMMIT TRANSACTION name / ROLLBACK TRANSACTION name finish another session's in-doubt transaction
                return word(i + 1).equals("TRANSACTION") && (i + 2 < tokens.size()) && tokens.get(i + 2).isIdentifier()
                        ? w + " PREPARED" : w;
            case "SHUTDOWN":
            case "SCRIPT":
            case "BACKUP":
            case "RUNSCRIPT":
                return w;
            default:
                return w.isEmpty() ? "" : w;
        }
    }

    private int indexOfWord(String w, int from) {
        for (int i = from; i < tokens.size(); i++) {
            if (tokens.get(i).isWord(w)) {
                return i;
            }
        }
        return tokens.size();
    }

    /** The object of CREATE, in H2's order of alternatives: "ALIAS", "LINKED TABLE", "TABLE", "INDEX"… */
    private String createdObject(int i) {
        if (word(i).equals("OR") && word(i + 1).equals("REPLACE")) {
            i += 2;
        }
        if (word(i).equals("FORCE")) {
            i++;
        }
        switch (word(i)) {
            case "VIEW":
            case "ALIAS":
            case "SEQUENCE":
            case "USER":
            case "TRIGGER":
            case "ROLE":
            case "SCHEMA":
            case "CONSTANT":
            case "AGGREGATE":
            case "SYNONYM":
            case "FUNCTION":
                return word(i);
            case "MATERIALIZED":
                return "MATERIALIZED VIEW";
            case "DOMAIN":
            case "TYPE":
            case "DATATYPE":
                return "DOMAIN";
            case "LINKED":
                return "LINKED TABLE";
            default:
                break;
        }
        if (word(i).equals("MEMORY") || word(i).equals("CACHED")) {
            i++;
        }
        if (word(i).equals("LOCAL") || word(i).equals("GLOBAL")) {
            i++;
        }
        if (word(i).equals("TEMP") || word(i).equals("TEMPORARY")) {
            i++;
        }
        if (word(i).equals("LINKED")) {
            return "LINKED TABLE";
        }
        if (word(i).equals("TABLE")) {
            return "TABLE";
        }
        return word(i).isEmpty() ? "" : "INDEX";
    }

    private String droppedObject(int i) {
        switch (word(i)) {
            case "ALL":
                return word(i + 1).equals("OBJECTS") ? "ALL OBJECTS" : "ALL";
            case "MATERIALIZED":
                return "MATERIALIZED VIEW";
            case "TYPE":
            case "DATATYPE":
                return "DOMAIN";
            default:
                return word(i);
        }
    }

    /** The H2 setting a SET names: "TIME ZONE", "@" for user variables, or the (upper-case) name. */
    private String setName(int i) {
        if (symbol(i, "@")) {
            return "@";
        }
        String w = word(i);
        if (w.equals("SESSION") || w.equals("LOCAL")) {
            String next = word(i + 1);
            if (!next.isEmpty() && !next.equals("CHARACTERISTICS")) {
                return setName(i + 1);
            }
        }
        if (w.equals("TIME") && word(i + 1).equals("ZONE")) {
            return "TIME ZONE";
        }
        if (w.isEmpty() && i < tokens.size() && tokens.get(i).kind() == Kind.QUOTED) {
            return tokens.get(i).value().toUpperCase(Locale.ROOT);
        }
        // a dotted custom parameter (SET wasm.x = 1, SET a.b TO c) is named by its whole chain
        StringBuilder name = new StringBuilder(w);
        int j = i + 1;
        while (symbol(j, ".") && j + 1 < tokens.size() && tokens.get(j + 1).isIdentifier()) {
            name.append('.').append(tokens.get(j + 1).value().toUpperCase(Locale.ROOT));
            j += 2;
        }
        return name.toString();
    }

    /**
     * The words of the statement that change data or schema (INSERT, UPDATE, DELETE, MERGE,
     * TRUNCATE, CREATE, ALTER, DROP…), anywhere: {@code WITH … DELETE} is a query by its first word
     * only. Reserved words, so an unquoted one is the keyword.
     */
    Set<String> writeWords() {
        Set<String> out = new java.util.TreeSet<>();
        for (Token t : tokens) {
            if (t.kind() == Kind.WORD && WRITE_WORDS.contains(t.value())) {
                out.add(t.value());
            }
        }
        return out;
    }

    private static final Set<String> WRITE_WORDS = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE", "TRUNCATE", "CREATE",
            "ALTER", "DROP", "GRANT", "REVOKE", "COMMENT", "UPSERT");

    /** A call of a function: its name (the last part of a dotted name, upper-case) and its qualifier (or null). */
    record Call(String name, String schema, int token) {
    }

    /** Every identifier followed by "(" — anywhere, quoted or not — as H2 would call it. */
    List<Call> calls() {
        List<Call> out = new ArrayList<>();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isIdentifier() && tokens.get(i + 1).isSymbol("(")) {
                String schema = i >= 2 && tokens.get(i - 1).isSymbol(".") && tokens.get(i - 2).isIdentifier()
                        ? tokens.get(i - 2).value().toUpperCase(Locale.ROOT) : null;
                out.add(new Call(t.value().toUpperCase(Locale.ROOT), schema, i));
            }
        }
        return out;
    }

    /**
     * A relation named in a FROM or JOIN clause: schema (or null) and name as written, whether it
     * is called like a function, and its parenthesis depth (the outermost query's are the least deep).
     */
    record Relation(String schema, String name, boolean function, int depth, int token) {
    }

    /**
     * The relations of every FROM and JOIN clause, subqueries included. FROM inside a function's
     * parentheses (EXTRACT(YEAR FROM x), SUBSTRING(s FROM 2), TRIM(… FROM s)) and in IS [NOT]
     * DISTINCT FROM is not a table reference and is skipped.
     */
    List<Relation> fromRelations() {
        List<Relation> out = new ArrayList<>();
        List<Boolean> functionParens = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(")) {
                boolean afterName = i > 0 && tokens.get(i - 1).isIdentifier() && !isClauseWord(tokens.get(i - 1));
                String next = word(i + 1);
                boolean subquery = next.equals("SELECT") || next.equals("WITH") || next.equals("VALUES") || next.equals("TABLE");
                functionParens.add(afterName && !subquery);
            } else if (t.isSymbol(")")) {
                if (!functionParens.isEmpty()) {
                    functionParens.remove(functionParens.size() - 1);
                }
            } else if (t.isWord("FROM") || t.isWord("JOIN")) {
                boolean inFunction = !functionParens.isEmpty() && functionParens.get(functionParens.size() - 1);
                if (inFunction || (t.isWord("FROM") && word(i - 1).equals("DISTINCT"))) {
                    continue;
                }
                readFromList(i + 1, t.isWord("FROM"), out);
            }
        }
        return out;
    }

    /** Keywords that may precede a parenthesis without calling a function. */
    private static boolean isClauseWord(Token t) {
        return t.kind() == Kind.WORD && CLAUSE_WORDS.contains(t.value());
    }

    private static final Set<String> CLAUSE_WORDS = Set.of("FROM", "JOIN", "IN", "EXISTS", "ANY", "ALL", "SOME", "AS", "ON", "USING",
            "WHERE", "AND", "OR", "NOT", "SELECT", "VALUES", "LATERAL", "UNION", "INTERSECT", "EXCEPT", "MINUS", "WITH", "INTO", "SET",
            "HAVING", "BY", "WHEN", "THEN", "ELSE", "RETURN", "TABLE", "OVER", "FILTER", "WITHIN", "ARRAY", "ROW");

    /** Reads table references from {@code i}: one after JOIN, a comma-separated list after FROM. */
    private void readFromList(int i, boolean list, List<Relation> out) {
        while (i < tokens.size()) {
            while (word(i).equals("ONLY") || word(i).equals("LATERAL")) {
                i++;
            }
            if (i >= tokens.size() || !tokens.get(i).isIdentifier() || (tokens.get(i).kind() == Kind.WORD && NOT_A_NAME.contains(word(i)))) {
                return; // a subquery, a VALUES list or something else: its own FROMs are found when reached
            }
            int start = i;
            List<String> parts = new ArrayList<>();
            parts.add(tokens.get(i).value());
            i++;
            while (symbol(i, ".") && i + 1 < tokens.size() && tokens.get(i + 1).isIdentifier()) {
                parts.add(tokens.get(i + 1).value());
                i += 2;
            }
            boolean function = symbol(i, "(");
            String name = parts.get(parts.size() - 1);
            String schema = parts.size() >= 2 ? parts.get(parts.size() - 2) : null;
            out.add(new Relation(schema, name, function, depths[start], start));
            if (!list) {
                return;
            }
            // skip to the next top-level comma of this FROM list, or stop at the end of the list
            int depth = 0;
            while (i < tokens.size()) {
                Token t = tokens.get(i);
                if (t.isSymbol("(")) {
                    depth++;
                } else if (t.isSymbol(")")) {
                    if (depth == 0) {
                        return;
                    }
                    depth--;
                } else if (depth == 0 && t.isSymbol(",")) {
                    break;
                } else if (depth == 0 && t.kind() == Kind.WORD && END_OF_FROM.contains(t.value())) {
                    return;
                }
                i++;
            }
            i++;
        }
    }

    private static final Set<String> NOT_A_NAME = Set.of("SELECT", "VALUES", "TABLE", "WITH", "UNNEST");
    private static final Set<String> END_OF_FROM = Set.of("WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "FETCH", "UNION",
            "INTERSECT", "EXCEPT", "MINUS", "WINDOW", "FOR", "JOIN", "ON", "USING", "QUALIFY", "RETURNING", "SET");

    /**
     * The objects of schema {@code schema} the statement names as {@code schema.object} (any
     * case, quoted or not, catalog-qualified or not), upper-cased.
     */
    List<String> objectsInSchema(String schema) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 2 < tokens.size(); i++) {
            // SET wasm.timeout / wasm.grants … of CREATE FUNCTION name a setting, not a table: an UPDATE of a
            // catalog table names it after UPDATE too
            boolean setting = i > 0 && tokens.get(i - 1).kind() == Kind.WORD && tokens.get(i - 1).value().equals("SET");
            if (!setting && tokens.get(i).isName(schema) && tokens.get(i + 1).isSymbol(".") && tokens.get(i + 2).isIdentifier()) {
                out.add(tokens.get(i + 2).value().toUpperCase(Locale.ROOT));
            }
        }
        return out;
    }
}
