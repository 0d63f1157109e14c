package io.wasmudf.engine;

import io.wasmudf.engine.internal.compile.ModuleCompiler;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The persistent compiled-code cache: a directory of files, one per module and code-generation
 * setting, holding the class files {@link ModuleCompiler} generated for it. It is an optimisation
 * only: every failure to read or write it is swallowed (the module is compiled as without a cache),
 * and an entry is used only when its checksum, format, compiler fingerprint and settings match and
 * the module bytes stored in it equal the module's exactly — after which the JVM still verifies
 * each class as it is defined ({@link CompiledModule}). Nothing on the load path computes a
 * cryptographic hash: a young JVM runs SHA-256 interpreted, which would cost a large module more
 * than the rest of the load; the entry's name is a CRC of the module, and the exact comparison
 * makes a CRC collision (accidental or crafted) a miss, never another module's code.
 *
 * <p>Several engines and JVMs may share a directory: an entry is written to a temporary file and
 * renamed into place, so a reader sees a whole entry or none; two writers of the same entry write
 * the same content and the last rename wins. Eviction deletes the least recently used entries
 * (by modification time, which a hit refreshes) once the directory exceeds its bound.
 */
final class CodeCache {
    /** What an entry holds: the compiler's output and, by defined function, whether it needs the guest boundary. */
    record Entry(ModuleCompiler.Output output, java.util.BitSet boundaryNeeded) {}

    /** Entry files start with this; the integer after it is the layout of what follows. */
    private static final byte[] MAGIC = "WASMUDF-CODE\n".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT = 2;
    static final String SUFFIX = ".wcc";
    private static final String TEMP_SUFFIX = ".tmp";
    /** A temporary file older than this is a crashed writer's and may be deleted. */
    private static final long STALE_TEMP_MILLIS = 10 * 60_000;
    /** The trailing checksum: CRC-32C, which the JVM computes with an intrinsic even before its JIT warms up (see {@link #checksum}). */
    private static final int DIGEST_BYTES = 8;

    private final Path dir;
    private final long maxBytes;
    /** Everything that shapes generated code besides the module: compiler build, options, properties; stored in each entry and compared exactly. */
    private final String settings;
    /** A 64-bit checksum of {@link #settings} in hex, for entry names. */
    private final String settingsTag;

    CodeCache(Path dir, long maxBytes, Engine.Options options) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.settings = settings(options);
        this.settingsTag = hex64(settings.getBytes(StandardCharsets.UTF_8));
    }

    Path directory() {
        return dir;
    }

    /**
     * The name of a module's entries: its length and a CRC-32C of its bytes, in hex. Only a name:
     * modules that share it (a crafted collision is easy) replace each other's entry, which costs
     * them a compile and nothing else, since a load compares the module bytes exactly.
     */
    static String moduleKey(byte[] wasm) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(wasm, 0, wasm.length);
        return hex32(wasm.length) + hex32((int) crc.getValue());
    }

    /** The entry file of the module with this {@link #moduleKey} under this engine's settings. */
    Path entryPath(String moduleKey) {
        // the settings are in the name too, so engines with different settings do not evict each other's entry
        return dir.resolve(moduleKey + "-" + settingsTag + SUFFIX);
    }

    /**
     * The stored compiler output for the module, or null when there is none or it cannot be
     * trusted (corrupt, truncated, another format, compiler or setting): the caller compiles and
     * {@link #store}s, which replaces a bad entry.
     */
    Entry load(byte[] wasm) {
        Path file = entryPath(moduleKey(wasm));
        Entry out;
        // read piecewise, each class straight into its own array: no copy of the whole entry,
        // whose allocation alone (fresh memory, a megabyte for a large module) costs a young JVM milliseconds
        // java.io.File, not Files: its size and time stamp are one native call each, where the NIO
        // attribute views cost a young JVM a dozen classes
        java.io.File f = file.toFile();
        try (InputStream in = new java.io.FileInputStream(f)) {
            long size = f.length();
            if (size > maxBytes) {
                // never written by us: not worth reading
                return null;
            }
            out = read(in, size, wasm);
        } catch (IOException | OutOfMemoryError e) {
            return null;
        }
        if (out != null) {
            try {
                // least recently used eviction goes by modification time; false on a read-only directory, where the entry is still good
                f.setLastModified(System.currentTimeMillis());
            } catch (RuntimeException ignored) {
                // a security manager's refusal: the entry is still good
            }
        }
        return out;
    }

    /** Writes the entry for the module atomically, then evicts down to the bound; failures are ignored. */
    void store(byte[] wasm, Entry entry) {
        String key = moduleKey(wasm);
        byte[] bytes = encode(wasm, entry);
        if (bytes.length > maxBytes) {
            return;
        }
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, key + "-", TEMP_SUFFIX);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                // durable before it becomes visible: a crash leaves the old entry or the new one, not a torn one
                ch.force(true);
            }
            try {
                Files.move(temp, entryPath(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (FileAlreadyExistsException e) {
                // a platform whose atomic rename does not replace: another writer put the same content there
                Files.deleteIfExists(temp);
            }
            temp = null;
            evict();
        } catch (IOException | RuntimeException e) {
            // an unwritable or full directory costs a compile on the next start, nothing else
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // left for a later eviction pass to remove
                }
            }
        }
    }

    /** Deletes least recently used entries while the directory holds more than the bound, and stale temporary files. */
    void evict() throws IOException {
        record Entry(Path path, long size, long modified) {}
        List<Entry> entries = new ArrayList<>();
        long total = 0;
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                try {
                    long modified = Files.getLastModifiedTime(p).toMillis();
                    if (name.endsWith(TEMP_SUFFIX) && now - modified > STALE_TEMP_MILLIS) {
                        Files.deleteIfExists(p);
                    } else if (name.endsWith(SUFFIX)) {
                        long size = Files.size(p);
                        entries.add(new Entry(p, size, modified));
                        total += size;
                    }
                } catch (NoSuchFileException e) {
                    // another JVM evicted or replaced it meanwhile
                }
            }
        }
        if (total <= maxBytes) {
            return;
        }
        entries.sort(Comparator.comparingLong(Entry::modified));
        for (Entry e : entries) {
            if (total <= maxBytes) {
                break;
            }
            Files.deleteIfExists(e.path());
            total -= e.size();
        }
    }

    // --- the entry layout: MAGIC, FORMAT, settings, module bytes, classes, function owners, boundary bits, checksum of all before

    byte[] encode(byte[] wasm, Entry entry) {
        ModuleCompiler.Output out = entry.output();
        ByteArrayOutputStream buf = new ByteArrayOutputStream(wasm.length + out.bytes().length + 1024);
        try (DataOutputStream o = new DataOutputStream(buf)) {
            o.write(MAGIC);
            o.writeInt(FORMAT);
            writeString(o, settings);
            // the module itself, compared exactly on load: the entry's name is only a CRC of it
            o.writeInt(wasm.length);
            o.write(wasm);
            List<ModuleCompiler.ClassFile> classes = new ArrayList<>();
            classes.add(new ModuleCompiler.ClassFile(out.binaryName(), out.bytes()));
            classes.addAll(out.parts());
            o.writeInt(classes.size());
            for (ModuleCompiler.ClassFile c : classes) {
                writeString(o, c.binaryName());
                o.writeInt(c.bytes().length);
                o.write(c.bytes());
            }
            // function owners as indices into the class list: a module has many functions and few classes
            o.writeInt(out.functionClasses().size());
            for (String owner : out.functionClasses()) {
                int index = -1;
                for (int i = 0; i < classes.size() && index < 0; i++) {
                    if (classes.get(i).binaryName().equals(owner)) {
                        index = i;
                    }
                }
                o.writeInt(index);
            }
            byte[] boundary = entry.boundaryNeeded().toByteArray();
            o.writeInt(boundary.length);
            o.write(boundary);
            o.flush();
            o.writeLong(checksum(buf.toByteArray(), buf.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    private static void writeString(DataOutputStream o, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        o.writeInt(b.length);
        o.write(b);
    }

    /** The output an entry holds for module {@code wasm}, or null when anything about it is off. */
    Entry decode(byte[] bytes, byte[] wasm) {
        try {
            return read(new java.io.ByteArrayInputStream(bytes), bytes.length, wasm);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Reads an entry of {@code size} bytes from {@code in}: the output it holds for module
     * {@code wasm}, or null when anything about it is off. Every length is checked against what is
     * left before anything is allocated, and nothing read is returned unless the trailing checksum
     * matches all of it.
     */
    private Entry read(InputStream in, long size, byte[] wasm) throws IOException {
        if (size < MAGIC.length + DIGEST_BYTES || size > Integer.MAX_VALUE) {
            return null;
        }
        EntryReader r = new EntryReader(in, size - DIGEST_BYTES);
        try {
            if (!Arrays.equals(r.bytes(MAGIC.length), MAGIC) || r.u32() != FORMAT || !r.string().equals(settings)
                    || r.u32() != wasm.length || !r.matches(wasm)) {
                return null;
            }
            int count = r.u32();
            if (count < 1 || count > r.left()) {
                return null;
            }
            List<ModuleCompiler.ClassFile> classes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String name = r.string();
                classes.add(new ModuleCompiler.ClassFile(name, r.bytes(r.u32())));
            }
            int functions = r.u32();
            if (functions < 0 || (long) functions * 4 > r.left()) {
                return null;
            }
            byte[] table = r.bytes(functions * 4);
            String[] owners = new String[functions];
            for (int i = 0; i < functions; i++) {
                int index = (table[4 * i] & 0xff) << 24 | (table[4 * i + 1] & 0xff) << 16 | (table[4 * i + 2] & 0xff) << 8 | (table[4 * i + 3] & 0xff);
                if (index < 0 || index >= count) {
                    return null;
                }
                owners[i] = classes.get(index).binaryName();
            }
            int boundaryBytes = r.u32();
            if (boundaryBytes != r.left()) {
                return null;
            }
            java.util.BitSet boundary = java.util.BitSet.valueOf(r.bytes(boundaryBytes));
            long expected = r.checksum();
            byte[] digest = new byte[DIGEST_BYTES];
            if (in.readNBytes(digest, 0, DIGEST_BYTES) != DIGEST_BYTES || in.read() != -1
                    || java.nio.ByteBuffer.wrap(digest).getLong() != expected) {
                return null;
            }
            return new Entry(new ModuleCompiler.Output(classes.get(0).binaryName(), classes.get(0).bytes(),
                    List.copyOf(classes.subList(1, count)), List.of(owners)), boundary);
        } catch (EntryReader.Malformed e) {
            return null;
        }
    }

    /** Reads an entry's body sequentially, checking lengths against what is left and summing what it reads. */
    private static final class EntryReader {
        /** Thrown when a length runs past the end: the entry is corrupt. */
        static final class Malformed extends Exception {
            Malformed() {
                super(null, null, false, false);
            }
        }

        private final InputStream in;
        private final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        private final long body;
        private long read;
        private final byte[] scratch = new byte[4];

        EntryReader(InputStream in, long body) {
            this.in = in;
            this.body = body;
        }

        long left() {
            return body - read;
        }

        private void fill(byte[] b, int off, int len) throws IOException, Malformed {
            if (len < 0 || len > left() || in.readNBytes(b, off, len) != len) {
                throw new Malformed();
            }
            crc.update(b, off, len);
            read += len;
        }

        byte[] bytes(int len) throws IOException, Malformed {
            if (len < 0 || len > left()) {
                throw new Malformed();
            }
            byte[] b = new byte[len];
            fill(b, 0, len);
            return b;
        }

        int u32() throws IOException, Malformed {
            fill(scratch, 0, 4);
            return (scratch[0] & 0xff) << 24 | (scratch[1] & 0xff) << 16 | (scratch[2] & 0xff) << 8 | (scratch[3] & 0xff);
        }

        String string() throws IOException, Malformed {
            return new String(bytes(u32()), StandardCharsets.UTF_8);
        }

        /** Whether the next {@code expected.length} bytes are exactly {@code expected}; reads them in chunks. */
        boolean matches(byte[] expected) throws IOException, Malformed {
            byte[] chunk = new byte[Math.min(expected.length, 64 << 10)];
            for (int at = 0; at < expected.length; at += chunk.length) {
                int n = Math.min(chunk.length, expected.length - at);
                fill(chunk, 0, n);
                if (!same(chunk, n, expected, at)) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Whether {@code chunk[0, n)} equals {@code expected[at, at + n)}. A plain loop rather than
         * {@code Arrays.equals}: in a young JVM both start interpreted, and {@code Arrays.equals}
         * stays so for a whole module (its vectorized mismatch loop makes one iteration per 8
         * bytes and two {@code Unsafe} calls each, about 55,000 for 444 KB, under the JIT's
         * loop threshold), while this loop passes it after about 60 KB (iterations are counted
         * across calls) and runs the rest compiled (on-stack replacement): about 2.7 ms instead
         * of 5 for the 444 KB module in a fresh JVM, JDK 17 and 25.
         */
        private static boolean same(byte[] chunk, int n, byte[] expected, int at) {
            int differ = 0;
            for (int i = 0; i < n; i++) {
                differ |= chunk[i] ^ expected[at + i];
            }
            return differ == 0;
        }

        /** {@link CodeCache#checksum} of everything read. */
        long checksum() {
            return (crc.getValue() << 32) | (read & 0xffffffffL);
        }
    }

    /**
     * The entry's checksum: CRC-32C of its contents and their length. It detects corruption (torn
     * or flipped bytes), which is all a checksum can do here — a forger could recompute any hash
     * stored beside the data, so tampering is kept out by the directory's permissions instead.
     * Not SHA-256: a young JVM computes SHA-256 in interpreted code, 100 ms and more for a large
     * module's entry, which would eat much of what the cache saves.
     */
    static long checksum(byte[] bytes, int length) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 0, length);
        return (crc.getValue() << 32) | (length & 0xffffffffL);
    }

    /**
     * Everything besides the module's bytes that decides what the compiler generates: the
     * compiler's own build (see {@link #compilerFingerprint}), the engine options it reads, the
     * tuning properties it reads, and the JVM's class-file version. A plain string (no record
     * {@code toString}, no hash) so that a young JVM builds it without bootstrapping anything.
     */
    private static String settings(Engine.Options o) {
        return "compiler=" + compilerFingerprint()
                + ";checks=" + o.interruptible() + "," + o.fuel() + "," + (o.maxCallDepth() > 0)
                // an entry skips validation on load: one a 3.0 engine validated is no proof for 2.0
                + ";wasm=" + o.features().version()
                + ";methodLimit=" + o.methodSizeLimit()
                + ";classLimit=" + o.classSizeLimit()
                + ";defaultMethodLimit=" + System.getProperty("wasmudf.compile.methodLimit", "")
                + ";memoryAccessCost=" + System.getProperty("wasmudf.compile.memoryAccessCost", "")
                + ";helperBudget=" + System.getProperty("wasmudf.compile.helperBudget", "")
                + ";switchTargets=" + System.getProperty("wasmudf.compile.switchTargets", "")
                + ";homedLocals=" + System.getProperty("wasmudf.compile.homedLocals", "")
                + ";inFlightSpill=" + System.getProperty("wasmudf.compile.inFlightSpill", "")
                // the value the compiler took when it first loaded, not the property now (which may differ)
                + ";helperFreeForms=" + io.wasmudf.engine.internal.compile.CompileProperties.helperFreeForms()
                + ";homedCallOverhead=" + System.getProperty("wasmudf.compile.homedCallOverhead", "")
                + ";homedLimitPercent=" + System.getProperty("wasmudf.compile.homedLimitPercent", "")
                + ";directCallBytes=" + System.getProperty("wasmudf.compile.directCallBytes", "") // call_indirect bridges
                + ";parallelPart=" + System.getProperty("wasmudf.compile.parallelPart", "") // how functions share classes
                + ";rawMemory=" + io.wasmudf.engine.internal.runtime.Mem.raw() // inline Unsafe accesses or Mem calls
                + ";laneArrays=" + io.wasmudf.engine.internal.runtime.SimdLaneArray.USABLE // v128 locals in byte arrays (little-endian Unsafe)
                + ";laneWindows=" + io.wasmudf.engine.internal.runtime.SimdLaneWindow.USABLE // lane reads from the memory array (little-endian Unsafe)
                + ";vectorDot=" + io.wasmudf.engine.internal.runtime.SimdDotLoop.USABLE // dot-product loops as vector helper calls
                + ";jvm=" + Runtime.version().feature();
    }

    private static volatile String fingerprint;

    /**
     * A checksum of the engine's own class files, so that any change to the compiler or to the
     * runtime the generated code calls invalidates every entry — no version number to forget to
     * bump. Of the whole jar file the engine was loaded from (any rebuild of the jar changes it)
     * or, when running from a directory of classes, of the engine package's class files. ASM
     * shapes the class files too: its version is in the engine's {@code build.properties}, written
     * by the build and so covered by the same checksum (swapping ASM's jar under an unchanged
     * engine jar is not noticed; the classes it wrote still pass the JVM's verifier). Whole files
     * through the CRCs, not the jar's entry list, and without opening ASM's jar: a young JVM walks
     * a few hundred entries in interpreted code and opens a jar in milliseconds, while it
     * checksums a 400 KB file in under one. 64 bits of CRC, not a cryptographic hash: it tells
     * builds apart, it does not authenticate anything (see {@link Engine.Builder#codeCache} on
     * trust). When the classes cannot be found it is random, so entries of this JVM are never
     * used by another.
     */
    static String compilerFingerprint() {
        String f = fingerprint;
        if (f == null) {
            f = computeFingerprint();
            fingerprint = f;
        }
        return f;
    }

    private static String computeFingerprint() {
        Crc64 sum = new Crc64();
        String pkg = CodeCache.class.getPackageName().replace('.', '/') + "/";
        try {
            var source = CodeCache.class.getProtectionDomain().getCodeSource();
            Path root = Path.of(URI.create(source.getLocation().toString()));
            if (Files.isDirectory(root)) {
                List<Path> files = new ArrayList<>();
                classFiles(root.resolve(pkg), files);
                // absent when an IDE built the classes without Maven's resource filtering
                Path build = root.resolve(pkg + BUILD_PROPERTIES);
                if (Files.exists(build)) {
                    files.add(build);
                }
                files.sort(null);
                for (Path p : files) {
                    sum.update(root.relativize(p).toString());
                    sum.update(Files.readAllBytes(p));
                }
            } else {
                sum.update("jar");
                sum.updateFile(root);
            }
        } catch (IOException | RuntimeException | Error e) {
            sum.update("unknown:" + System.nanoTime() + ":" + Math.random());
        }
        return sum.hex();
    }

    /** The build's record of what shapes generated code besides the engine's classes (ASM's version), beside them. */
    static final String BUILD_PROPERTIES = "build.properties";

    /** The .class files under {@code dir}, recursively. */
    private static void classFiles(Path dir, List<Path> into) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                if (Files.isDirectory(p)) {
                    classFiles(p, into);
                } else if (p.toString().endsWith(".class")) {
                    into.add(p);
                }
            }
        }
    }

    /** 64 bits of checksum in hex: CRC-32C and CRC-32 side by side, both computed natively even in a young JVM. */
    static String hex64(byte[] bytes) {
        Crc64 sum = new Crc64();
        sum.update(bytes);
        return sum.hex();
    }

    private static String hex32(int v) {
        String h = Integer.toHexString(v);
        return "00000000".substring(h.length()) + h;
    }

    /** CRC-32C and CRC-32 of the same bytes. */
    private static final class Crc64 {
        private final java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        private final java.util.zip.CRC32 d = new java.util.zip.CRC32();

        void update(byte[] b) {
            c.update(b, 0, b.length);
            d.update(b, 0, b.length);
        }

        /** The file's contents, read in chunks into one buffer: no file-sized array of fresh memory. */
        void updateFile(Path file) throws IOException {
            byte[] buf = new byte[64 << 10];
            try (InputStream in = new java.io.FileInputStream(file.toFile())) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    c.update(buf, 0, n);
                    d.update(buf, 0, n);
                }
            }
        }

        void update(String s) {
            // a separator, so that "ab"+"c" and "a"+"bc" differ
            update((s + "\n").getBytes(StandardCharsets.UTF_8));
        }

        String hex() {
            return hex32((int) c.getValue()) + hex32((int) d.getValue());
        }
    }
}
