package io.wasmudf.spark;

import io.wasmudf.sql.AggregateState;
import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.SqlTypes;
import io.wasmudf.sql.TextInput;
import java.io.Serializable;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Aggregator;

/**
 * A wasm aggregate ({@code CREATE AGGREGATE}) as a Spark {@link Aggregator}: each transition is a
 * call of the SFUNC and the result the FINALFUNC's, under PostgreSQL's rules as H2 applies them
 * ({@link AggregateState}, shared). Spark always aggregates in parts and merges them: with a
 * COMBINEFUNC, partial states are combined by it (the user's associativity contract, as in
 * PostgreSQL's parallel aggregation); without one, a group's buffer keeps its rows and the
 * transitions run over all of them when the group finishes — the same result, memory in
 * proportion to the group. The buffer goes through Java serialization at shuffles
 * ({@link Encoders#javaSerialization}), its values being the codecs' (all serializable).
 */
final class WasmAggregator extends Aggregator<Row, WasmAggregator.Buffer, Object> {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final List<String> argTypes;
    private final String stype;
    private final String resultType;
    private final String initCond;
    private final WasmCall sfunc;
    private final WasmCall finalFunc;
    private final WasmCall combineFunc;
    /** INITCOND read as the state type, once per deserialized copy. */
    private transient Object initial;
    private transient boolean initialRead;

    /** One group's buffer: the state, and without a COMBINEFUNC the rows not yet passed to the SFUNC (public: Spark encodes only public classes). */
    public static final class Buffer implements Serializable {
        private static final long serialVersionUID = 1L;
        AggregateState state;
        List<Object[]> rows;
    }

    WasmAggregator(String name, List<String> argTypes, String stype, String resultType, String initCond, WasmCall sfunc,
                   WasmCall finalFunc, WasmCall combineFunc) {
        this.name = name;
        this.argTypes = List.copyOf(argTypes);
        this.stype = stype;
        this.resultType = resultType;
        this.initCond = initCond;
        this.sfunc = sfunc;
        this.finalFunc = finalFunc;
        this.combineFunc = combineFunc;
    }

    /** Reads INITCOND on the driver, so a bad one fails registration (22P02) and not a task. */
    void check() throws SQLException {
        initial();
    }

    private Object initial() throws SQLException {
        if (!initialRead) {
            initial = initCond == null ? null : TextInput.parse(SqlTypes.byName(stype), initCond);
            initialRead = true;
        }
        return initial;
    }

    @Override
    public Buffer zero() {
        Buffer b = new Buffer();
        try {
            b.state = new AggregateState(initial());
        } catch (SQLException e) {
            throw new WasmCall.WasmCallException(e);
        }
        if (combineFunc == null) {
            b.rows = new ArrayList<>();
        }
        return b;
    }

    @Override
    public Buffer reduce(Buffer b, Row row) {
        Object[] call = new Object[argTypes.size() + 1];
        for (int i = 0; i < argTypes.size(); i++) {
            call[i + 1] = SparkTypes.toSql(SqlTypes.byName(argTypes.get(i)), row.get(i));
        }
        if (b.rows != null) {
            b.rows.add(call);
        } else {
            transition(b.state, call);
        }
        return b;
    }

    private void transition(AggregateState state, Object[] call) {
        if (state.admit(call, 1, sfunc.spec().strict())) {
            state.transitioned(invoke(sfunc, call));
        }
    }

    @Override
    public Buffer merge(Buffer b1, Buffer b2) {
        if (b1.rows != null) {
            b1.rows.addAll(b2.rows);
        } else if (b1.state.admitPartial(b2.state.state(), combineFunc.spec().strict())) {
            b1.state.transitioned(invoke(combineFunc, new Object[] {b1.state.state(), b2.state.state()}));
        }
        return b1;
    }

    @Override
    public Object finish(Buffer b) {
        AggregateState state = b.state;
        if (b.rows != null) {
            for (Object[] call : b.rows) {
                transition(state, call);
            }
        }
        Object r = state.needsFinal(finalFunc != null, finalFunc != null && finalFunc.spec().strict())
                ? invoke(finalFunc, new Object[] {state.state()}) : state.state();
        return SparkTypes.toEncoder(SqlTypes.byName(resultType), r);
    }

    private static Object invoke(WasmCall f, Object[] args) {
        try {
            return f.callCodec(args);
        } catch (SQLException e) {
            throw new WasmCall.WasmCallException(e);
        }
    }

    @Override
    public Encoder<Buffer> bufferEncoder() {
        return Encoders.javaSerialization(Buffer.class);
    }

    @SuppressWarnings("unchecked")
    @Override
    public Encoder<Object> outputEncoder() {
        SqlType r = SqlTypes.byName(resultType);
        return (Encoder<Object>) (Encoder<?>) SparkTypes.encoder(r);
    }

    @Override
    public String toString() {
        return "aggregate " + name + "(" + String.join(", ", argTypes) + ")";
    }
}
