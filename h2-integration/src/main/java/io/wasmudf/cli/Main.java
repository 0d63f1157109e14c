package io.wasmudf.cli;

import io.wasmudf.engine.Wat;
import io.wasmudf.engine.WatSyntaxException;
import io.wasmudf.engine.spectest.SpecRunner;
import io.wasmudf.h2.WasmDriver;
import io.wasmudf.sql.FunctionDdlParser;
import io.wasmudf.sql.WatText;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The {@code wasmudf} command: {@code sql}, {@code load}, {@code classpath} and {@code spec}.
 * Exit status 0 on success, 1 on an SQL or runtime error, 2 on a usage error, 3 when an error
 * stopped a script ({@code sql -f FILE}, as psql with {@code ON_ERROR_STOP=1}); see {@link ScriptRunner}.
 */
public final class Main {
    static final String DEFAULT_DB = "./data/wasmudf";
    private static final String USAGE = String.join("\n",
            "usage: wasmudf sql [--db PATH] [--csv] [--continue-on-error] {\"SQL; SQL; ...\" | -f FILE | -}",
            "                                                          run statements (prints results, notices, errors with SQLSTATE);",
            "                                                          stops at the first error (exit 1, or 3 for a script, as psql",
            "                                                          -v ON_ERROR_STOP=1) unless --continue-on-error (exit 0, as psql)",
            "       wasmudf load NAME FILE.wasm|FILE.wat [--db PATH]   upload a module (binary or text) into wasm.modules",
            "       wasmudf classpath                                  print the classpath of the jdbc:wasm: driver (last line)",
            "       wasmudf spec DIR|FILE.wast [--wasm 2.0|3.0] [--verbose] [--checked]",
            "                                                          run the WebAssembly spec scripts (.wast) in DIR (and DIR/legacy)",
            "                                                          by 2.0's or 3.0's rules (default: 2.0 for a DIR without 3.0-only scripts)",
            "       wasmudf wat2wasm FILE.wat [-o FILE.wasm]            convert WebAssembly text to a binary module",
            "       wasmudf serve [--db PATH] [--port 5433] [--listen 127.0.0.1] [--name wasmudf] [--password-file FILE] ...",
            "                                                          serve the database to PostgreSQL clients (psql, pgJDBC)",
            "The database is an embedded H2 file database (default " + DEFAULT_DB + ").");

    private final PrintStream out;
    private final PrintStream err;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int status = new Main(System.out, System.err).run(args);
        System.out.flush();
        System.exit(status);
    }

    int run(String[] args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        try {
            switch (args[0]) {
                case "sql":
                    return sql(rest(args));
                case "load":
                    return load(rest(args));
                case "classpath":
                    out.println(classpath());
                    return 0;
                case "spec":
                    return spec(rest(args));
                case "wat2wasm":
                    return wat2wasm(rest(args));
                case "serve":
                    return io.wasmudf.pg.ServeMain.run(rest(args).toArray(new String[0]));
                default:
                    err.println("wasmudf: unknown command \"" + args[0] + "\"\n" + USAGE);
                    return 2;
            }
        } catch (UsageException e) {
            err.println("wasmudf: " + e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (SQLException e) {
            printError(e);
            return 1;
        }
    }

    private static List<String> rest(String[] args) {
        return new ArrayList<>(List.of(args).subList(1, args.length));
    }

    /** Removes {@code --name VALUE} from {@code args}; returns VALUE or null. */
    private static String option(List<String> args, String name) throws UsageException {
        int i = args.indexOf(name);
        if (i < 0) {
            return null;
        }
        if (i + 1 >= args.size()) {
            throw new UsageException(name + " needs a value");
        }
        args.remove(i);
        return args.remove(i);
    }

    private static boolean flag(List<String> args, String name) {
        return args.remove(name);
    }

    static String jdbcUrl(String db) {
        String path = new File(db).getAbsolutePath();
        if (path.endsWith(".mv.db")) {
            path = path.substring(0, path.length() - ".mv.db".length());
        }
        return WasmDriver.PREFIX + "file:" + path;
    }

    private static Connection open(String db) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        return WasmDriver.load().connect(jdbcUrl(db == null ? DEFAULT_DB : db), p);
    }

    // ---- sql --------------------------------------------------------------------------------

    private int sql(List<String> args) throws UsageException, SQLException {
        String db = option(args, "--db");
        String file = option(args, "-f");
        if (file == null) {
            file = option(args, "--file");
        }
        boolean csv = flag(args, "--csv");
        boolean continueOnError = flag(args, "--continue-on-error");
        String script;
        String source = null;
        if (file != null) {
            if (!args.isEmpty()) {
                throw new UsageException("sql takes either -f FILE or the statements, not both");
            }
            source = file.equals("-") ? "<stdin>" : file;
            try {
                script = file.equals("-") ? new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        : Files.readString(Path.of(file));
            } catch (IOException | java.io.UncheckedIOException e) {
                err.println("wasmudf: error: " + file + ": " + (e instanceof java.nio.file.NoSuchFileException ? "No such file or directory"
                        : e.getMessage()));
                return 1;
            }
        } else {
            if (args.size() != 1) {
                throw new UsageException("sql needs exactly one argument with the statements (quote it), or -f FILE");
            }
            script = args.get(0);
            if (script.equals("-")) {
                source = "<stdin>";
                try {
                    script = new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                } catch (IOException e) {
                    err.println("wasmudf: cannot read statements from stdin: " + e.getMessage());
                    return 1;
                }
            }
        }
        try (Connection c = open(db)) {
            return new ScriptRunner(out, err, csv, continueOnError, source).run(c, SqlScript.pieces(script));
        }
    }

    private static final java.util.regex.Pattern STATEMENT_TIMEOUT = java.util.regex.Pattern.compile(
            "(?is)\\s*SET\\s+(?:SESSION\\s+)?statement_timeout\\s*(?:=|\\s+TO\\s+|\\s+)\\s*'?(\\d+)\\s*(ms|s|min|h)?'?\\s*");

    /** PostgreSQL's {@code SET statement_timeout = '2s'} as H2's {@code SET QUERY_TIMEOUT 2000} (milliseconds). */
    static String statementTimeout(String sql) {
        java.util.regex.Matcher m = STATEMENT_TIMEOUT.matcher(sql);
        if (!m.matches()) {
            return sql;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
        long ms = switch (unit) {
            case "s" -> n * 1000;
            case "min" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n;
        };
        return "SET QUERY_TIMEOUT " + Math.min(ms, Integer.MAX_VALUE);
    }

    /** A psql-like command tag: {@code INSERT 0 3}, {@code UPDATE 2}, {@code CREATE FUNCTION}, … ({@link io.wasmudf.sql.CommandTag}). */
    static String commandTag(String sql, long count) {
        return io.wasmudf.sql.CommandTag.of(sql, count);
    }

    // ---- load -------------------------------------------------------------------------------

    private int load(List<String> args) throws UsageException, SQLException {
        String db = option(args, "--db");
        if (args.size() != 2) {
            throw new UsageException("load needs NAME and FILE.wasm (or FILE.wat)");
        }
        String name = args.get(0);
        Path file = Path.of(args.get(1));
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            err.println("wasmudf: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
        // text (its first token an opening parenthesis, as the catalog decides) is uploaded as
        // such: the catalog keeps it (source_text) and encodes it; anything else is a binary
        boolean text = WatText.isText(new String(bytes, StandardCharsets.UTF_8));
        try (Connection c = open(db)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO wasm.modules(name, " + (text ? "source_text" : "bytes") + ") VALUES (?, ?)")) {
                ps.setString(1, name);
                if (text) {
                    ps.setString(2, new String(bytes, StandardCharsets.UTF_8));
                } else {
                    ps.setBytes(2, bytes);
                }
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT sha256, size, bytes FROM wasm.modules WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out.println("loaded module " + name + " (" + (text ? "text encoded to " : "") + rs.getInt(2) + " bytes, sha256 "
                            + rs.getString(1) + ")");
                    bytes = rs.getBytes(3);
                }
            }
            List<String> exports = ModuleSummary.functionExports(bytes);
            if (!exports.isEmpty()) {
                out.println("function exports:");
                exports.forEach(e -> out.println("  " + e));
            }
        }
        return 0;
    }

    // ---- classpath / spec -------------------------------------------------------------------

    /** The JVM's own classpath, absolute: it is what the launcher started us with. */
    static String classpath() {
        StringBuilder sb = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(File.pathSeparatorChar);
            }
            sb.append(new File(entry).getAbsolutePath());
        }
        return sb.toString();
    }

    /** Delegates to the engine's spec-suite runner; its output and exit status are the command's. */
    private int spec(List<String> args) throws UsageException {
        if (args.isEmpty()) {
            throw new UsageException("spec needs the directory of the spec suite (its .wast scripts) or one .wast script");
        }
        return SpecRunner.run(args.toArray(new String[0]), out);
    }

    /** Text to binary with the engine's own parser; errors as FILE:LINE:COLUMN: reason. */
    private int wat2wasm(List<String> args) throws UsageException {
        String output = option(args, "-o");
        if (args.size() != 1) {
            throw new UsageException("wat2wasm needs one FILE.wat");
        }
        Path in = Path.of(args.get(0));
        Path target = Path.of(output != null ? output : args.get(0).replaceFirst("\\.wat$", "") + ".wasm");
        try {
            byte[] binary = Wat.toBinary(Files.readAllBytes(in));
            Files.write(target, binary);
            out.println("wrote " + target + " (" + binary.length + " bytes)");
            return 0;
        } catch (WatSyntaxException e) {
            err.println("wasmudf: " + in + ":" + e.getMessage());
        } catch (IOException e) {
            err.println("wasmudf: " + e.getMessage());
        }
        return 1;
    }

    private void printError(SQLException e) {
        String state = e.getSQLState();
        err.println("ERROR:  " + e.getMessage() + (state == null ? "" : "\nSQLSTATE: " + state));
    }

    /** A command-line mistake: usage is printed and the exit status is 2. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static {
        // make sure the driver (and its H2 class factory) is registered before any connection
        WasmDriver.load();
    }

}
