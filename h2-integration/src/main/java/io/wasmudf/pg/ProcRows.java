package io.wasmudf.pg;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain queries of pg_proc's columns ({@code SELECT proname, prosrc, provolatile … FROM
 * pg_catalog.pg_proc [p] [WHERE [p.]proname = 'f' | LIKE … | = $1] [ORDER BY …]}), answered
 * from the wasm catalog with the values PostgreSQL keeps for a C function: prosrc the export,
 * probin the module, proconfig the {@code SET wasm.…} settings. Anything else about pg_proc
 * stays refused (an answer made of guesses would be a wrong one).
 */
final class ProcRows {
    private static final Pattern QUERY = Pattern.compile("(?is)\\s*SELECT\\s+.+?\\s+FROM\\s+(?:pg_catalog\\.)?pg_proc(?:\\s+(?:AS\\s+)?(\\w+))?"
            + "(?:\\s+WHERE\\s+(?:\\w+\\.)?proname\\s+(?:=|LIKE)\\s+(?:'(?:[^']|'')*'|\\$1))?(?:\\s+ORDER\\s+BY\\s+[\\w.,\\s]+)?\\s*;?\\s*");
    private static final Pattern COLUMN = Pattern.compile("(?i)\\s*(?:\\w+\\.)?(\\w+)\\s*");

    /** The pg_proc columns answered, with their types. */
    private static final Map<String, PgType> TYPES = Map.ofEntries(Map.entry("oid", PgType.OID), Map.entry("proname", PgType.NAME),
            Map.entry("pronamespace", PgType.OID), Map.entry("prokind", PgType.CHAR), Map.entry("prosecdef", PgType.BOOL),
            Map.entry("proleakproof", PgType.BOOL), Map.entry("proisstrict", PgType.BOOL), Map.entry("proretset", PgType.BOOL),
            Map.entry("provolatile", PgType.CHAR), Map.entry("proparallel", PgType.CHAR), Map.entry("pronargs", PgType.INT2),
            Map.entry("prorettype", PgType.OID), Map.entry("proargnames", PgType.TEXT_ARRAY), Map.entry("prosrc", PgType.TEXT),
            Map.entry("probin", PgType.TEXT), Map.entry("proconfig", PgType.TEXT_ARRAY));

    private ProcRows() {}

    /** The answer, or null when {@code sql} is not such a query. */
    static LocalStatement match(CatalogQueries catalog, String sql) {
        if (!QUERY.matcher(sql).matches()) {
            return null;
        }
        List<SelectList.Item> items = SelectList.items(sql);
        List<Column> cols = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (SelectList.Item item : items) {
            Matcher m = COLUMN.matcher(item.expr());
            String name = m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
            if (name == null || !TYPES.containsKey(name)) {
                return null;
            }
            names.add(name);
            cols.add(new Column(item.label(), TYPES.get(name)));
        }
        boolean ordered = Pattern.compile("(?i)\\bORDER\\s+BY\\b").matcher(sql).find();
        return LocalStatement.of(cols, params -> {
            String pattern = SelectList.likePattern(sql.replaceAll("(?i)\\b\\w+\\.proname\\b", "proname"), "proname", params);
            List<CatalogSnapshot.Function> fns = new ArrayList<>(catalog.snapshotFunctions());
            if (ordered) {
                fns.sort(java.util.Comparator.comparing(CatalogSnapshot.Function::name).thenComparing(CatalogSnapshot.Function::oid));
            }
            List<Object[]> rows = new ArrayList<>();
            for (CatalogSnapshot.Function f : fns) {
                if (SelectList.like(pattern, f.name())) {
                    Object[] row = new Object[names.size()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = value(names.get(i), f);
                    }
                    rows.add(row);
                }
            }
            return LocalStatement.Result.rows(rows);
        });
    }

    private static Object value(String column, CatalogSnapshot.Function f) {
        boolean agg = f.kind() == 'a';
        switch (column) {
            case "oid": return f.oid();
            case "proname": return f.name();
            case "pronamespace": return CatalogSnapshot.namespaceOid(f.schema());
            case "prokind": return String.valueOf(f.kind());
            case "prosecdef": case "proleakproof": return false;
            case "proisstrict": return f.strict();
            case "proretset": return f.returnsSet();
            case "provolatile": return String.valueOf(f.volatility());
            case "proparallel": return "u";
            case "pronargs": return (short) f.argPgTypes().size();
            case "prorettype": return (long) f.resultType().oid;
            case "proargnames": {
                List<String> n = f.argNames();
                return n.stream().allMatch(String::isEmpty) ? null : n.toArray(new Object[0]);
            }
            case "prosrc": return agg ? "aggregate_dummy" : f.export();
            case "probin": return agg ? null : f.module();
            case "proconfig": return f.config().isEmpty() ? null : f.config().toArray(new Object[0]);
            default: throw new IllegalStateException(column);
        }
    }
}
