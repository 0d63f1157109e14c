package io.wasmudf.pg;

import io.wasmudf.sql.SqlStates;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * psql's {@code \sf}: the function's OID by {@code 'name'::regproc} or
 * {@code 'name(argtypes)'::regprocedure}, then {@code pg_get_functiondef(oid)}, the
 * {@code CREATE OR REPLACE FUNCTION} text reconstructed from the catalog as PostgreSQL prints it
 * for a C function ({@code AS 'module', $function$export$function$}).
 */
final class FunctionDefinitions {
    private static final Pattern REGPROC = Pattern.compile(
            "(?is)\\s*SELECT\\s+'((?:[^']|'')*)'\\s*::\\s*(?:pg_catalog\\.)?(regproc|regprocedure)\\s*::\\s*(?:pg_catalog\\.)?oid\\s*;?\\s*");
    private static final Pattern FUNCTIONDEF = Pattern.compile(
            "(?is)\\s*SELECT\\s+(?:pg_catalog\\.)?pg_get_functiondef\\s*\\(\\s*'?(\\d+)'?\\s*(?:::\\s*(?:pg_catalog\\.)?oid\\s*)?\\)\\s*;?\\s*");

    private FunctionDefinitions() {}

    /** The answer for one of psql's \sf queries, or null. */
    static LocalStatement match(CatalogQueries catalog, String sql) {
        Matcher m = REGPROC.matcher(sql);
        if (m.matches()) {
            String name = m.group(1).replace("''", "'");
            return LocalStatement.of(List.of(new Column("oid", PgType.OID)), p -> {
                CatalogSnapshot.Function f = catalog.resolveFunction(name);
                List<Object[]> rows = new ArrayList<>();
                rows.add(new Object[] {Long.toString(f.oid())});
                return LocalStatement.Result.rows(rows);
            });
        }
        m = FUNCTIONDEF.matcher(sql);
        if (m.matches()) {
            long oid = Long.parseLong(m.group(1));
            return LocalStatement.of(List.of(new Column("pg_get_functiondef", PgType.TEXT)), p -> {
                List<Object[]> rows = new ArrayList<>();
                rows.add(new Object[] {definition(catalog.function(oid))});
                return LocalStatement.Result.rows(rows);
            });
        }
        return null;
    }

    /** pg_get_functiondef's text (null for an unknown OID, as in PostgreSQL); 42809 for an aggregate. */
    static String definition(CatalogSnapshot.Function f) throws SQLException {
        if (f == null) {
            return null;
        }
        if (f.kind() == 'a') {
            throw new SQLException("\"" + f.name() + "\" is an aggregate function", SqlStates.WRONG_OBJECT_TYPE);
        }
        StringBuilder sb = new StringBuilder("CREATE OR REPLACE FUNCTION ")
                .append(CatalogSnapshot.quoteIdent(f.schema())).append('.').append(CatalogSnapshot.quoteIdent(f.name()))
                .append('(').append(f.arguments()).append(")\n")
                .append(" RETURNS ").append(f.result()).append('\n')
                .append(" LANGUAGE wasm\n");
        String volatility = f.volatility() == 'i' ? "IMMUTABLE" : f.volatility() == 's' ? "STABLE" : "";
        String options = (volatility + (f.strict() ? " STRICT" : "")).trim();
        if (!options.isEmpty()) {
            sb.append(' ').append(options).append('\n');
        }
        for (String setting : f.config()) {
            int eq = setting.indexOf('=');
            sb.append(" SET ").append(CatalogSnapshot.quoteIdent(setting.substring(0, eq))).append(" TO ")
                    .append(literal(setting.substring(eq + 1))).append('\n');
        }
        return sb.append("AS ").append(literal(f.module())).append(", ").append(dollarQuoted(f.export())).append('\n').toString();
    }

    /** quote_literal: doubled quotes, and E'' with doubled backslashes when there is a backslash. */
    static String literal(String s) {
        String q = "'" + s.replace("'", "''") + "'";
        return s.indexOf('\\') >= 0 ? "E" + q.replace("\\", "\\\\") : q;
    }

    /** How pg_get_functiondef quotes a body: {@code $function$…$function$}, the tag lengthened until it does not occur in it. */
    private static String dollarQuoted(String s) {
        String tag = "$function";
        while (s.contains(tag)) {
            tag += "x";
        }
        tag += "$";
        return tag + s + tag;
    }
}
