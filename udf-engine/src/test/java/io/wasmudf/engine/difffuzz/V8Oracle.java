package io.wasmudf.engine.difffuzz;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.Import;
import io.wasmudf.engine.internal.model.ImportDesc;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One node process running {@code src/test/node/difffuzz-v8.js}, fed one module (with its call
 * plan) per JSON line: many modules per process, so node starts once per campaign. A module that
 * V8 does not finish within the timeout gets the process killed and restarted.
 */
final class V8Oracle implements AutoCloseable {
    /** V8's answer for one module; exactly one of the first three is set. */
    record Answer(String compileError, String unsupported, List<Observation> steps, long millis) {}

    private static final String END = "\u0000eof";
    private final Path script;
    private Process process;
    private BufferedWriter in;
    private BlockingQueue<String> lines;
    private int nextId;

    V8Oracle(Path script) {
        this.script = script;
    }

    /** V8's compile error for {@code wasm}, null when V8 compiles it (or does not answer in time). */
    String compileError(byte[] wasm, Duration timeout) throws IOException, InterruptedException {
        Map<String, Object> answer = ask("\"wasm\":\"" + Base64.getEncoder().encodeToString(wasm)
                + "\",\"imports\":[],\"exports\":{},\"globals\":[],\"calls\":[]", timeout);
        return answer == null ? null : (String) answer.get("compile");
    }

    /** V8's observations, or null when V8 did not answer within {@code timeout} (the process is restarted). */
    Answer run(Instrumented m, CallPlan plan, Duration timeout) throws IOException, InterruptedException {
        Map<String, Object> answer = ask(request(m, plan), timeout);
        if (answer == null) {
            return null;
        }
        if (answer.containsKey("compile")) {
            return new Answer((String) answer.get("compile"), null, null, 0);
        }
        if (answer.containsKey("unsupported")) {
            return new Answer(null, (String) answer.get("unsupported"), null, 0);
        }
        List<Observation> steps = new ArrayList<>();
        steps.add(observation(answer.get("instantiate")));
        for (Object call : (List<?>) answer.get("calls")) {
            steps.add(observation(call));
        }
        return new Answer(null, null, steps, ((Number) answer.get("ms")).longValue());
    }

    /** Sends one request (its fields after the id) and waits for the answer; null on timeout. */
    private Map<String, Object> ask(String fields, Duration timeout) throws IOException, InterruptedException {
        if (process == null || !process.isAlive()) {
            start();
        }
        int id = nextId++;
        in.write("{\"id\":" + id + "," + fields + "}\n");
        in.flush();
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null || line == END) {
            close();
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) new com.google.gson.Gson().fromJson(line, Map.class);
        if (((Number) answer.get("id")).intValue() != id) {
            throw new IllegalStateException("V8 side answered request " + answer.get("id") + " for " + id);
        }
        if (answer.containsKey("fatal")) {
            throw new IllegalStateException("V8 side failed: " + answer.get("fatal"));
        }
        return answer;
    }

    private static Observation observation(Object o) {
        Map<?, ?> m = (Map<?, ?>) o;
        List<String> log = ((List<?>) m.get("log")).stream().map(String::valueOf).collect(Collectors.toList());
        return new Observation((String) m.get("outcome"), log, (String) m.get("mem"), (String) m.get("memNan"),
                (String) m.get("globals"));
    }

    private void start() throws IOException {
        process = new ProcessBuilder(ModuleSource.onPath("node"), script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(4);
        lines = queue;
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> {
            try {
                for (String l; (l = out.readLine()) != null; ) {
                    queue.put(l);
                }
            } catch (IOException | InterruptedException e) {
                // the process went away; END tells the waiting side
            }
            queue.offer(END);
        }, "difffuzz-v8-reader");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    private static String request(Instrumented m, CallPlan plan) {
        StringBuilder sb = new StringBuilder(m.wasm().length * 2);
        sb.append("\"wasm\":\"").append(Base64.getEncoder().encodeToString(m.wasm()));
        sb.append("\",\"imports\":[");
        for (int i = 0; i < m.imports().size(); i++) {
            Import imp = m.imports().get(i);
            sb.append(i == 0 ? "{" : ",{").append("\"module\":").append(str(imp.module()))
                    .append(",\"name\":").append(str(imp.name())).append(",\"kind\":\"");
            if (imp.desc() instanceof ImportDesc.Func) {
                sb.append("func\",\"params\":").append(types(m.importTypes().get(i).params()));
            } else if (imp.desc() instanceof ImportDesc.Global g) {
                sb.append("global\",\"type\":\"").append(g.type().type()).append('"');
            } else {
                sb.append(imp.desc().kind().name().toLowerCase()).append('"');
            }
            sb.append('}');
        }
        sb.append("],\"exports\":{");
        boolean first = true;
        for (Map.Entry<String, FuncType> e : m.exportTypes().entrySet()) {
            sb.append(first ? "" : ",").append(str(e.getKey())).append(":{\"params\":")
                    .append(types(e.getValue().params())).append(",\"results\":").append(types(e.getValue().results())).append('}');
            first = false;
        }
        sb.append("},\"globals\":").append(types(m.globalTypes())).append(",\"calls\":[");
        for (int i = 0; i < plan.calls().size(); i++) {
            CallPlan.Call c = plan.calls().get(i);
            sb.append(i == 0 ? "{" : ",{").append("\"export\":").append(str(c.export())).append(",\"args\":[")
                    .append(c.args().stream().map(V8Oracle::str).collect(Collectors.joining(","))).append("]}");
        }
        return sb.append("]").toString();
    }

    private static String types(List<ValType> types) {
        return types.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    private static String str(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7E) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
