package io.wasmudf.spark;

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
final class WasmCall implements Serializable {
    private static final long serialVersionUID = 1L;

    private final FunctionSpec spec;
    private final Broadcast<byte[]> module;
    private transient List<SqlType> params;
    private transient SqlType result;
    private transient ThreadLocal<Bound> local;

    /** A task thread's instance and the task it serves (a task's deadline starts with its first call). */
    private record Bound(GuestCall call, long taskAttempt) {}

    WasmCall(FunctionSpec spec, Broadcast<byte[]> module) {
        this.spec = spec;
        this.module = module;
    }

    /** One row: Spark values in, a Spark value out; a failure is a SQLException naming the function, with its SQLSTATE. */
    Object call(Object... sparkArgs) throws SQLException {
        if (params == null) {
            params = spec.params();
            result = spec.result();
        }
        Object[] args = new Object[sparkArgs.length];
        for (int i = 0; i < args.length; i++) {
            Object v = sparkArgs[i];
            if (v == null && spec.strict()) {
                return null; // STRICT: NULL in, NULL out, without a call
            }
            args[i] = SparkTypes.toSql(params.get(i), v);
        }
        return SparkTypes.toSpark(result, guest().call(args));
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
            return b.call;
        }
        GuestCall g = b != null && b.call.usable() ? b.call : GuestCall.create(spec, module.value());
        g.beginTask();
        local.set(new Bound(g, attempt));
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
