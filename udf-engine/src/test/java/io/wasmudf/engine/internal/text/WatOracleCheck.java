package io.wasmudf.engine.internal.text;

import io.wasmudf.engine.MalformedModuleException;
import io.wasmudf.engine.UnsupportedFeatureException;
import io.wasmudf.engine.WasmException;
import io.wasmudf.engine.WatSyntaxException;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.validate.Validator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares the text parser with outside oracles over the Wasm 3.0 suite (not run by CI: it needs
 * the npm package {@code @bytecodealliance/jco}, whose wasm-tools text parser is the reference
 * here, and node 20 for {@code WebAssembly.validate}). Also runs our own decoder and validator on
 * every module. Usage: {@code WatOracleCheck WORKDIR JCO_DIR [suite-subdir ...]}.
 */
final class WatOracleCheck {
    private WatOracleCheck() {}

    /** One module given to the oracles: where it came from and whether the suite says it is valid. */
    record Case(String file, int line, boolean expectValid, boolean expectInvalid) {}

    public static void main(String[] args) throws Exception {
        Path work = Paths.get(args[0]);
        String jco = args[1];
        Path suite = WatSuiteCheck.suite("wasm-testsuite-3").orElseThrow();
        List<Path> dirs = new ArrayList<>();
        dirs.add(suite);
        dirs.add(suite.resolve("legacy"));
        Map<String, Case> cases = new TreeMap<>();
        Files.createDirectories(work);
        int n = 0;
        for (Path dir : dirs) {
            for (Path f : WatSuiteCheck.wastFiles(dir)) {
                List<WastCommand> commands = WastParser.parse(Files.readAllBytes(f));
                for (WastCommand c : commands) {
                    WastModule m = WatSuiteCheck.moduleOf(c);
                    if (m == null || m.kind() == WastModule.Kind.BINARY || c instanceof WastCommand.AssertMalformed) {
                        continue;
                    }
                    byte[] ours;
                    try {
                        ours = m.binary();
                    } catch (WatSyntaxException e) {
                        continue;
                    }
                    String id = String.format("m%05d", n++);
                    String text = new String(m.source(), StandardCharsets.UTF_8).replaceFirst("^\\(module\\s+definition", "(module");
                    Files.writeString(work.resolve(id + ".wat"), text);
                    Files.write(work.resolve(id + ".ours.wasm"), ours);
                    boolean valid = c instanceof WastCommand.Module || c instanceof WastCommand.AssertUnlinkable
                            || c instanceof WastCommand.AssertUninstantiable || c instanceof WastCommand.AssertTrap;
                    cases.put(id, new Case(suite.relativize(f).toString(), m.line(), valid,
                            c instanceof WastCommand.AssertInvalid));
                }
            }
        }
        Process p = new ProcessBuilder("node", "--experimental-wasm-gc", "--experimental-wasm-memory64",
                "--experimental-wasm-extended-const", "--experimental-wasm-relaxed-simd",
                "--experimental-wasm-typed-funcref", "--experimental-wasm-return-call",
                "src/test/node/wat-oracle.mjs", work.toString(), jco).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("node failed");
        }
        report(work, cases);
    }

    private static void report(Path work, Map<String, Case> cases) throws IOException {
        Map<String, int[]> perFile = new TreeMap<>();
        // per file: cases, equal, differ, oracle error, v8 ok(ours), v8 ok(theirs), decoded+validated as expected, unsupported
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<String, Case> e : cases.entrySet()) {
            String id = e.getKey();
            Case c = e.getValue();
            int[] k = perFile.computeIfAbsent(c.file(), x -> new int[10]);
            k[0]++;
            byte[] ours = Files.readAllBytes(work.resolve(id + ".ours.wasm"));
            Path theirsFile = work.resolve(id + ".wt.wasm");
            if (Files.exists(theirsFile)) {
                byte[] theirs = stripNameSection(Files.readAllBytes(theirsFile));
                String verdict = Files.readString(work.resolve(id + ".cmp"));
                if (Arrays.equals(ours, theirs)) {
                    k[1]++;
                } else if (verdict.equals("equivalent")) {
                    k[9]++;
                } else {
                    k[2]++;
                    diffs.add(c.file() + ":" + c.line() + " " + id + " differs at byte " + firstDifference(ours, theirs));
                }
            } else {
                k[3]++;
                diffs.add(c.file() + ":" + c.line() + " " + id + " wasm-tools: "
                        + Files.readString(work.resolve(id + ".wt.err")).lines().findFirst().orElse(""));
            }
            String[] v8 = Files.readString(work.resolve(id + ".v8")).split(" ");
            if (c.expectValid()) {
                k[4] += v8[0].equals("true") ? 1 : 0;
                k[5] += v8[1].equals("true") ? 1 : 0;
                k[8]++;
            }
            String ownVerdict = ownVerdict(ours);
            if (ownVerdict.equals("unsupported")) {
                k[7]++;
            } else if ((c.expectValid() && ownVerdict.equals("valid")) || (c.expectInvalid() && !ownVerdict.equals("valid"))) {
                k[6]++;
            }
        }
        int[] total = new int[10];
        System.out.printf("%-34s %6s %6s %6s %6s %6s %8s %8s %6s%n", "file", "mods", "equal", "differ", "wt-err",
                "valid", "v8-ours", "v8-wt", "own-ok");
        for (Map.Entry<String, int[]> e : perFile.entrySet()) {
            int[] k = e.getValue();
            for (int j = 0; j < k.length; j++) {
                total[j] += k[j];
            }
            System.out.printf("%-34s %6d %6d %6d %6d %6d %6d %8d %8d %6d%s%n", e.getKey(), k[0], k[1], k[9], k[2], k[3], k[8],
                    k[4], k[5], k[6], k[7] > 0 ? " (" + k[7] + " unsupported by our decoder)" : "");
        }
        System.out.printf("TOTAL: %d modules; byte-equal to wasm-tools %d, equivalent %d, differ %d, wasm-tools error %d; "
                + "of %d that must validate V8 (node 20) accepts ours %d, wasm-tools' %d; our decoder+validator agree with "
                + "the suite on %d, %d use features it does not support%n", total[0], total[1], total[9], total[2], total[3],
                total[8], total[4], total[5], total[6], total[7]);
        Files.write(work.resolve("differences.txt"), diffs);
        System.out.println("differences: " + work.resolve("differences.txt"));
    }

    private static String ownVerdict(byte[] binary) {
        try {
            Validator.validate(ModuleDecoder.decode(binary));
            return "valid";
        } catch (UnsupportedFeatureException e) {
            return "unsupported";
        } catch (MalformedModuleException e) {
            return "malformed";
        } catch (WasmException e) {
            return "invalid";
        } catch (RuntimeException e) {
            return "crash";
        }
    }

    private static int firstDifference(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        int k = 0;
        while (k < n && a[k] == b[k]) {
            k++;
        }
        return k;
    }

    /** The module without custom sections named "name" (wasm-tools writes one for $names). */
    static byte[] stripNameSection(byte[] m) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(m, 0, 8);
        int p = 8;
        while (p < m.length) {
            int start = p;
            int id = m[p++] & 0xFF;
            long size = 0;
            int shift = 0;
            while (true) {
                int b = m[p++] & 0xFF;
                size |= (long) (b & 0x7F) << shift;
                shift += 7;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            int end = p + (int) size;
            boolean drop = false;
            if (id == 0) {
                int q = p;
                int len = m[q++] & 0x7F;
                drop = new String(m, q, len, StandardCharsets.UTF_8).equals("name");
            }
            if (!drop) {
                out.write(m, start, end - start);
            }
            p = end;
        }
        return out.toByteArray();
    }
}
