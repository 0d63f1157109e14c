package io.wasmudf.spark;

import io.wasmudf.sql.AbiLayout;
import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.SqlTypes;
import io.wasmudf.sql.StaticCall;
import java.io.Serializable;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ImplicitCastInputTypes;
import org.apache.spark.sql.catalyst.expressions.codegen.Block;
import org.apache.spark.sql.catalyst.expressions.codegen.CodeBlock;
import org.apache.spark.sql.catalyst.expressions.codegen.CodeGenerator;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenContext;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import org.apache.spark.sql.catalyst.expressions.codegen.JavaCode;
import org.apache.spark.sql.types.AbstractDataType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.unsafe.types.UTF8String;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A STRICT wasm function of numbers, booleans and text as a Catalyst expression of its own
 * instead of a Java UDF: Spark's generated code evaluates the arguments, skips the call on a NULL
 * and calls the export through the function's generated class ({@link ExportClasses}) with
 * Spark's own values — primitives unboxed, a {@code UTF8String}'s bytes copied straight into
 * guest memory, a text result's bytes straight into a {@code UTF8String} — where a Java UDF pays
 * per row for converters, boxing, an {@code Object[]} and String decoding and encoding. The
 * interpreted {@link #eval} goes through the codecs like the UDF path. Public only because Spark
 * copies plan nodes reflectively.
 */
public final class WasmExpression extends Expression implements ImplicitCastInputTypes, Serializable {
    private static final long serialVersionUID = 1L;
    /** The types whose Spark value is the codec's value (or text, copied as UTF-8). */
    private static final Set<SqlType> FAST = Set.of(SqlTypes.BOOLEAN, SqlTypes.SMALLINT, SqlTypes.INTEGER, SqlTypes.BIGINT,
            SqlTypes.REAL, SqlTypes.DOUBLE_PRECISION, SqlTypes.TEXT, SqlTypes.BPCHAR);

    private final WasmCall call;
    private final Seq<Expression> children;

    public WasmExpression(WasmCall call, Seq<Expression> children) {
        this.call = call;
        this.children = children;
    }

    /** Whether a function can take this path: STRICT, every type in {@link #FAST}, the result direct or text in a return area. */
    static boolean supports(FunctionSpec spec, AbiLayout abi) {
        if (!spec.strict() || !FAST.containsAll(abi.params()) || !FAST.contains(abi.result())) {
            return false;
        }
        return abi.form() == (abi.result().lowersIntoMemory() ? AbiLayout.ResultForm.RETURN_AREA : AbiLayout.ResultForm.DIRECT);
    }

    private FunctionSpec spec() {
        return call.spec();
    }

    @Override
    public Seq<Expression> children() {
        return children;
    }

    @Override
    public Expression withNewChildrenInternal(IndexedSeq<Expression> newChildren) {
        return new WasmExpression(call, newChildren);
    }

    @Override
    public DataType dataType() {
        try {
            return SparkTypes.of(spec().result(), spec().display());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Seq<AbstractDataType> inputTypes() {
        List<AbstractDataType> types = new ArrayList<>();
        for (SqlType t : spec().params()) {
            try {
                types.add(SparkTypes.of(t, spec().display()));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return CollectionConverters.asScala(types).toSeq();
    }

    @Override
    public boolean nullable() {
        return true;
    }

    @Override
    public boolean deterministic() {
        if (!spec().deterministic()) {
            return false;
        }
        for (Expression c : CollectionConverters.asJava(children)) {
            if (!c.deterministic()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String prettyName() {
        return spec().name();
    }

    @Override
    public Object eval(InternalRow input) {
        List<Expression> cs = CollectionConverters.asJava(children);
        Object[] args = new Object[cs.size()];
        for (int i = 0; i < args.length; i++) {
            Object v = cs.get(i).eval(input);
            if (v == null) {
                return null; // STRICT
            }
            args[i] = v instanceof UTF8String s ? s.toString() : v;
        }
        Object r;
        try {
            r = call.call(args);
        } catch (SQLException e) {
            throw new WasmCall.WasmCallException(e);
        }
        return r instanceof String s ? UTF8String.fromString(s) : r;
    }

    @Override
    public ExprCode doGenCode(CodegenContext ctx, ExprCode ev) {
        List<Expression> cs = CollectionConverters.asJava(children);
        List<SqlType> params = spec().params();
        SqlType result = spec().result();
        String cls = call.exportClass();
        String rc = ctx.addReferenceObj("wasmCall", call, WasmCall.class.getName());
        String g = ctx.freshName("guest");
        String r = ctx.freshName("core");
        String t = ctx.freshName("failure");
        StringBuilder code = new StringBuilder();
        StringBuilder anyNull = new StringBuilder("false");
        StringBuilder lowering = new StringBuilder();
        StringBuilder args = new StringBuilder();
        for (int i = 0; i < cs.size(); i++) {
            ExprCode c = cs.get(i).genCode(ctx);
            code.append(c.code()).append('\n');
            anyNull.append(" || ").append(c.isNull());
            if (params.get(i).lowersIntoMemory()) {
                String p = ctx.freshName("text");
                // UTF-8 straight from Spark's bytes into a block cabi_realloc gave through the constant handle
                lowering.append("long ").append(p).append(" = ").append(g).append(".latin1Utf16 ? ").append(g).append(".text(")
                        .append(c.value()).append(") : ").append(g).append(".write(").append(c.value()).append(", ").append(cls)
                        .append(".realloc(0, 0, 1, ").append(c.value()).append(".numBytes(), ").append(g).append(".instance));\n");
                args.append("(int) (").append(p).append(" >>> 32), (int) ").append(p).append(", ");
            } else {
                args.append(c.value()).append(", ");
            }
        }
        DataType type = dataType();
        String javaType = CodeGenerator.javaType(type);
        String coreType = spec().abi().core().returnClass().getName();
        String lifted;
        if (result.lowersIntoMemory()) {
            lifted = g + ".liftText(" + r + ")";
        } else {
            StaticCall lift = result.liftDirect();
            lifted = lift == null ? r : lift.owner().getName() + "." + lift.name() + "(" + r + ")";
        }
        code.append("boolean ").append(ev.isNull()).append(" = ").append(anyNull).append(";\n")
                .append(javaType).append(' ').append(ev.value()).append(" = ").append(CodeGenerator.defaultValue(type, true)).append(";\n")
                .append("if (!").append(ev.isNull()).append(") {\n")
                .append("  io.wasmudf.spark.GuestCall ").append(g).append(" = null;\n")
                .append("  try {\n")
                .append("    ").append(g).append(" = ").append(rc).append(".enter();\n")
                .append(lowering)
                .append("    ").append(coreType).append(' ').append(r).append(" = ").append(cls).append(".call(").append(args)
                .append(g).append(".instance);\n")
                .append("    ").append(ev.value()).append(" = ").append(lifted).append(";\n")
                .append("    ").append(cls).append(".post(").append(r).append(", ").append(g).append(".instance);\n")
                .append("  } catch (Throwable ").append(t).append(") {\n")
                .append("    throw ").append(rc).append(".fail(").append(g).append(", ").append(t).append(");\n")
                .append("  }\n")
                .append("}\n");
        Block block = new CodeBlock(CollectionConverters.asScala(List.of(code.toString())).toSeq(),
                CollectionConverters.asScala(List.<JavaCode>of()).toSeq());
        return ev.copy(block, ev.isNull(), ev.value());
    }

    /** {@code name(arg, …)}, as Spark shows a function call in plans. */
    @Override
    public String toString() {
        return prettyName() + CollectionConverters.asJava(children).toString().replace('[', '(').replace(']', ')');
    }

    @Override
    public int productArity() {
        return 2;
    }

    @Override
    public Object productElement(int n) {
        return switch (n) {
            case 0 -> call;
            case 1 -> children;
            default -> throw new IndexOutOfBoundsException(n);
        };
    }

    @Override
    public boolean canEqual(Object that) {
        return that instanceof WasmExpression;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WasmExpression e && e.call == call && e.children.equals(children);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(call) * 31 + children.hashCode();
    }
}
