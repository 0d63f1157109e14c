package io.wasmudf.spark;

import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.SqlType;
import java.io.Serializable;
import java.sql.SQLException;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.TaskCompletionListener;
import org.apache.spark.util.TaskFailureListener;

/**
 * The serializable body of one registered function: its spec and the broadcast module bytes
 * (shipped to each executor once, not with every task). On the executor, each task thread gets
 * its own instance ({@link GuestCall}), closed when the task ends; the compiled module comes from
 * the JVM's engine cache.
 */
public final class WasmCall implements Serializable {
    private static final long serialVersionUID = 1L;

    private final FunctionSpec spec;
    private final Broadcast<byte[]> module;
    /** The generated export class ({@link ExportClasses}) of the {@link WasmExpression} path; null for the UDF path. */
    private final String exportClass;
    /** The codecs, looked up once per deserialized copy; a record, so a racing thread sees it whole. */
    private transient Prepared prepared;
    private transient volatile ThreadLocal<Bound> local;
    /** The binding used last and its thread: one read answers every row of a task after its first. */
    private transient Last last;

    private record Last(Thread thread, GuestCall call) {}

    /** The codecs, and whether any argument or the result changes Java class between Spark and the codec. */
    private record Prepared(List<SqlType> params, SqlType result, boolean convertArgs, boolean convertResult) {}

    /** A task thread's instance and the task it serves (a task's deadline starts with its first call). */
    private record Bound(GuestCall call, long taskAttempt) {}

    WasmCall(FunctionSpec spec, Broadcast<byte[]> module) {
        this(spec, module, null);
    }

    WasmCall(FunctionSpec spec, Broadcast<byte[]> module, String exportClass) {
        this.spec = spec;
        this.module = module;
        this.exportClass = exportClass;
    }

    FunctionSpec spec() {
        return spec;
    }

    String exportClass() {
        return exportClass;
    }

    /**
     * A deserialized copy (each task gets its own) defines the generated export class in this JVM
     * before Spark compiles the query's code that names it.
     */
    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (exportClass != null && ExportClasses.entry(exportClass) == null) {
            try {
                io.wasmudf.engine.CompiledModule compiled = GuestCall.compile(spec, module.value());
                ExportClasses.define(exportClass, compiled, spec, GuestCall.check(spec, compiled));
            } catch (SQLException e) {
                throw new java.io.IOException(e.getMessage(), e);
            }
        }
    }

    /**
     * The generated path's start of a row: this task thread's instance, entered for one call.
     * Public only for the code Spark generates for {@link WasmExpression}.
     */
    public GuestCall enter() throws SQLException {
        Last l = last;
        GuestCall g = l != null && l.thread == Thread.currentThread() && l.call.usable() ? l.call : guest();
        g.beginCall();
        return g;
    }

    /** The generated path's failure: unchecked (generated code declares none), the SQLException naming the function as its cause. */
    public RuntimeException fail(GuestCall g, Throwable t) {
        SQLException e = t instanceof SQLException s ? s : g == null ? SqlStates.error(SqlStates.EXTERNAL_ROUTINE_EXCEPTION,
                "function " + spec.display() + ": " + t) : g.failure(t);
        return new WasmCallException(e);
    }

    /** A failed call of the generated path; its cause is the SQLException with the function's name and SQLSTATE. */
    public static final class WasmCallException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WasmCallException(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** One row: Spark values in, a Spark value out; a failure is a SQLException naming the function, with its SQLSTATE. */
    Object call(Object... sparkArgs) throws SQLException {
        Prepared p = prepared;
        if (p == null) {
            List<SqlType> params = spec.params();
            p = new Prepared(params, spec.result(), params.stream().anyMatch(SparkTypes::converts), SparkTypes.converts(spec.result()));
            prepared = p;
        }
        // sparkArgs is this row's own array (varargs), so it is converted in place
        if (spec.strict()) {
            for (Object v : sparkArgs) {
                if (v == null) {
                    return null; // STRICT: NULL in, NULL out, without a call
                }
            }
        }
        if (p.convertArgs) {
            for (int i = 0; i < sparkArgs.length; i++) {
                sparkArgs[i] = SparkTypes.toSql(p.params.get(i), sparkArgs[i]);
            }
        }
        Object r = callCodec(sparkArgs);
        return p.convertResult ? SparkTypes.toSpark(p.result, r) : r;
    }

    /** One call with the codecs' values, NULLs passed as they are (an aggregate's state machine decided STRICT already). */
    Object callCodec(Object[] args) throws SQLException {
        Last l = last;
        GuestCall g = l != null && l.thread == Thread.currentThread() && l.call.usable() ? l.call : guest();
        return g.call(args);
    }

    private GuestCall guest() throws SQLException {
        if (local == null) {
            synchronized (this) {
                if (local == null) {
                    local = new ThreadLocal<>();
                }
            }
        }
        TaskContext task = TaskContext.get();
        long attempt = task == null ? -1 : task.taskAttemptId();
        Bound b = local.get();
        if (b != null && b.taskAttempt == attempt && b.call.usable()) {
            last = new Last(Thread.currentThread(), b.call);
            return b.call;
        }
        GuestCall g = b != null && b.call.usable() ? b.call
                : exportClass != null ? GuestCall.create(spec, ExportClasses.entry(exportClass).module()) : GuestCall.create(spec, module.value());
        g.beginTask();
        local.set(new Bound(g, attempt));
        last = new Last(Thread.currentThread(), g);
        if (task != null && (b == null || b.call != g)) {
            ThreadLocal<Bound> l = local;
            task.addTaskCompletionListener(new TaskCompletionListener() {
                @Override
                public void onTaskCompletion(TaskContext context) {
                    g.close(); // gives its memory back to the budget; this thread's next task instantiates again
                    l.remove();
                }
            });
            task.addTaskFailureListener(new TaskFailureListener() {
                @Override
                public void onTaskFailure(TaskContext context, Throwable error) {
                    g.interrupt(); // a killed task stops its running guest call
                }
            });
        }
        return g;
    }
}
