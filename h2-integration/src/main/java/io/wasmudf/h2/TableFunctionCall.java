package io.wasmudf.h2;

import io.wasmudf.engine.Memory;
import io.wasmudf.sql.AbiLayout;
import io.wasmudf.sql.AbiValues;
import io.wasmudf.sql.BoundExport;
import io.wasmudf.sql.FunctionParameter;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.SqlType;
import java.lang.invoke.MethodHandle;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.h2.tools.SimpleResultSet;

/**
 * The runtime side of a table function's bridge: one guest call returns a batch of rows in guest
 * memory (docs/ABI.md, "Table functions"), which is checked, lifted column by column with the
 * types' own codecs and handed to H2 as a {@link ResultSet}. The rows must fit the guest's memory
 * ({@code wasm.max_memory}) and the call its time ({@code wasm.timeout}), so a function cannot
 * produce rows forever. Public only because generated classes call it.
 */
public final class TableFunctionCall {
    /** Bytes of the batch area: {@code {u32 rows_ptr, u32 row_count}}. */
    static final int AREA = 8;

    private final FunctionBinding binding;
    private final FunctionDef def;
    private final List<FunctionParameter> columns;
    private final int[] offsets;
    private final int rowSize;
    private final MethodHandle[] lift;

    private TableFunctionCall(FunctionBinding binding, FunctionDef def, List<FunctionParameter> columns) {
        this.binding = binding;
        this.def = def;
        this.columns = columns;
        this.offsets = new int[columns.size()];
        this.lift = new MethodHandle[columns.size()];
        // a record of option<T> fields, each at its alignment, the size rounded to the largest alignment
        int at = 0;
        int maxAlign = 1;
        for (int i = 0; i < columns.size(); i++) {
            SqlType t = columns.get(i).type();
            int align = Math.max(1, t.alignment());
            int size = align(AbiLayout.optionPayloadOffset(t) + t.size(), align);
            at = align(at, align);
            offsets[i] = at;
            at += size;
            maxAlign = Math.max(maxAlign, align);
            lift[i] = t.liftOptional().handle();
        }
        this.rowSize = Math.max(1, align(at, maxAlign));
    }

    private static int align(int n, int a) {
        return (n + a - 1) / a * a;
    }

    /** The call object of bridge class {@code className}; one that refuses calls when its function is gone. */
    public static TableFunctionCall forBridge(String className) {
        BridgeNames.Parsed p = BridgeNames.parse(className);
        CatalogService service = p == null ? null : CatalogService.forBridge(p.databaseId());
        FunctionDef def = service == null ? null : service.definition(p.functionId(), p.version());
        TableFunctions.Result r = def == null ? null : service.tables.result(def.id());
        FunctionBinding b = FunctionBinding.forBridge(className);
        return new TableFunctionCall(b, def, r == null ? List.of() : r.columns());
    }

    /** The rows of one call (H2 asks once for the column list with a special connection: no guest call then). */
    public ResultSet call(Connection c, Object[] args) throws SQLException {
        SimpleResultSet rs = new SimpleResultSet();
        // an unquoted (lower-case) name follows the database's identifier case, so unquoted SQL finds it
        boolean upper = c.getMetaData().storesUpperCaseIdentifiers();
        for (FunctionParameter col : columns) {
            String n = col.name();
            rs.addColumn(upper && n.equals(n.toLowerCase(java.util.Locale.ROOT)) ? n.toUpperCase(java.util.Locale.ROOT) : n,
                    jdbcType(col.type()), 0, 0);
        }
        if (def == null || "jdbc:columnlist:connection".equals(c.getMetaData().getURL())) {
            if (def == null) {
                binding.bind(c); // refuses: the function was dropped or replaced
            }
            return rs;
        }
        for (Object a : args) {
            if (a == null) {
                return rs; // table functions are STRICT: no rows for a NULL argument, without a call
            }
        }
        BoundExport e = binding.bind(c);
        try {
            List<Object> core = new ArrayList<>();
            List<SqlType> types = def.paramTypes();
            for (int i = 0; i < types.size(); i++) {
                SqlType t = types.get(i);
                Object v = args[i];
                if (t.lowering() instanceof SqlType.Lowering.Allocated) {
                    long packed = e.guest.lowerIntoMemory(t, v);
                    core.add(AbiValues.ptr(packed));
                    core.add(AbiValues.len(packed));
                } else {
                    SqlType.Lowering.Scalar s = (SqlType.Lowering.Scalar) t.lowering();
                    core.add(s.toCore() == null ? v : s.toCore().handle().invoke(v));
                }
            }
            int retptr = (int) e.handle.invokeWithArguments(core);
            Memory mem = e.guest.memory();
            e.guest.checkRange(retptr, AREA, "the batch area of table function " + def.display());
            int rows = mem.readInt(retptr);
            int count = mem.readInt(retptr + 4);
            long bytes = Integer.toUnsignedLong(count) * rowSize;
            if (bytes > Integer.MAX_VALUE) {
                e.guest.checkRange(rows, Integer.MAX_VALUE, "the rows of table function " + def.display());
            }
            e.guest.checkRange(rows, (int) bytes, count + " rows of table function " + def.display());
            for (int r = 0; r < count; r++) {
                Object[] row = new Object[columns.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = lift[i].invoke(e.guest, rows + r * rowSize + offsets[i]);
                }
                rs.addRow(row);
            }
            e.post().invoke(retptr);
            return rs;
        } catch (Throwable t) {
            throw binding.fail(e, t);
        }
    }

    /** The JDBC type H2 should give a column of {@code t} (from the value's Java class). */
    private static int jdbcType(SqlType t) throws SQLException {
        Class<?> c = t.boxedType();
        if (c == Integer.class) {
            return Types.INTEGER;
        } else if (c == Long.class) {
            return Types.BIGINT;
        } else if (c == Short.class) {
            return Types.SMALLINT;
        } else if (c == Float.class) {
            return Types.REAL;
        } else if (c == Double.class) {
            return Types.DOUBLE;
        } else if (c == Boolean.class) {
            return Types.BOOLEAN;
        } else if (c == String.class) {
            return Types.VARCHAR;
        } else if (c == byte[].class) {
            return Types.VARBINARY;
        }
        throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, "columns of type " + t.sqlName() + " are not supported in table functions");
    }
}
