package io.wasmudf.pg;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the psql client (Debian postgresql-client) on a script; tests skip loudly when it is absent. */
final class PsqlRunner {
    private PsqlRunner() {
    }

    /** The psql executable, or null when it is not installed. */
    static String psql() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            File f = new File(dir, "psql");
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }

    /**
     * Runs {@code psql -X -A} with the script on stdin and returns stdout and stderr interleaved
     * (psql writes errors to stderr as "psql:&lt;stdin&gt;:LINE: ERROR: ...").
     */
    static String run(String host, int port, String user, String db, String password, String script, String... extraArgs)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(psql(), "-X", "-A", "-h", host, "-p", Integer.toString(port), "-U", user, "-d", db,
                "-v", "ON_ERROR_STOP=0", "-f", "-"));
        cmd.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.remove("PGPASSWORD");
        env.remove("PGSERVICE");
        env.put("LC_ALL", "C");
        env.put("LANG", "C");
        env.put("PAGER", "");
        env.put("PGCONNECT_TIMEOUT", "10");
        if (password != null) {
            env.put("PGPASSWORD", password);
        }
        Process p = pb.start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("psql did not finish");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
