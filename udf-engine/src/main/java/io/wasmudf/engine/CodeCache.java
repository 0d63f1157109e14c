package io.wasmudf.engine;

import io.wasmudf.engine.internal.compile.ModuleCompiler;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
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
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The persistent compiled-code cache: a directory of files, one per module and code-generation
 * setting, holding the class files {@link ModuleCompiler} generated for it. It is an optimisation
 * only: every failure to read or write it is swallowed (the module is compiled as without a cache),
 * and an entry is used only when its checksum, format, compiler fingerprint and key all match —
 * after which the JVM still verifies each class as it is defined ({@link CompiledModule}).
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
    private static final int FORMAT = 1;
    static final String SUFFIX = ".wcc";
    private static final String TEMP_SUFFIX = ".tmp";
    /** A temporary file older than this is a crashed writer's and may be deleted. */
    private static final long STALE_TEMP_MILLIS = 10 * 60_000;
    /** The trailing checksum: CRC-32C, which the JVM computes with an intrinsic even before its JIT warms up (see {@link #checksum}). */
    private static final int DIGEST_BYTES = 8;

    private final Path dir;
    private final long maxBytes;
    /** Hex SHA-256 of everything that shapes generated code besides the module: compiler build, options, properties. */
    private final String settings;

    CodeCache(Path dir, long maxBytes, Engine.Options options) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.settings = settingsHash(options);
    }

    Path directory() {
        return dir;
    }

    /** The entry file of the module with this SHA-256 under this engine's settings. */
    Path entryPath(String moduleSha) {
        // the settings hash is in the name too, so engines with different settings do not evict each other's entry
        return dir.resolve(moduleSha + "-" + settings.substring(0, 16) + SUFFIX);
    }

    /**
     * The stored compiler output for the module, or null when there is none or it cannot be
     * trusted (corrupt, truncated, another format, compiler or setting): the caller compiles and
     * {@link #store}s, which replaces a bad entry.
     */
    Entry load(String moduleSha) {
        Path file = entryPath(moduleSha);
        byte[] bytes;
        try {
            if (Files.size(file) > maxBytes) {
                // never written by us: not worth reading into memory
                return null;
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException | OutOfMemoryError e) {
            return null;
        }
        Entry out = decode(bytes, moduleSha);
        if (out != null) {
            try {
                // least recently used eviction goes by modification time
                Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
            } catch (IOException | RuntimeException ignored) {
                // read-only directory: the entry is still good
            }
        }
        return out;
    }

    /** Writes the entry for the module atomically, then evicts down to the bound; failures are ignored. */
    void store(String moduleSha, Entry entry) {
        byte[] bytes = encode(moduleSha, entry);
        if (bytes.length > maxBytes) {
            return;
        }
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, moduleSha.substring(0, 16) + "-", TEMP_SUFFIX);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                // durable before it becomes visible: a crash leaves the old entry or the new one, not a torn one
                ch.force(true);
            }
            try {
                Files.move(temp, entryPath(moduleSha), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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

    // --- the entry layout: MAGIC, FORMAT, settings hash, module hash, classes, function owners, boundary bits, checksum of all before

    byte[] encode(String moduleSha, Entry entry) {
        ModuleCompiler.Output out = entry.output();
        ByteArrayOutputStream buf = new ByteArrayOutputStream(out.bytes().length + 1024);
        try (DataOutputStream o = new DataOutputStream(buf)) {
            o.write(MAGIC);
            o.writeInt(FORMAT);
            o.writeUTF(settings);
            o.writeUTF(moduleSha);
            List<ModuleCompiler.ClassFile> classes = new ArrayList<>();
            classes.add(new ModuleCompiler.ClassFile(out.binaryName(), out.bytes()));
            classes.addAll(out.parts());
            o.writeInt(classes.size());
            for (ModuleCompiler.ClassFile c : classes) {
                o.writeUTF(c.binaryName());
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

    /** The output an entry holds, or null when anything about it is off. */
    Entry decode(byte[] bytes, String moduleSha) {
        if (bytes.length < MAGIC.length + DIGEST_BYTES) {
            return null;
        }
        int body = bytes.length - DIGEST_BYTES;
        // the checksum first: nothing of a corrupt entry is parsed
        if (checksum(bytes, body) != java.nio.ByteBuffer.wrap(bytes, body, DIGEST_BYTES).getLong()) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes, 0, body))) {
            if (!Arrays.equals(in.readNBytes(MAGIC.length), MAGIC) || in.readInt() != FORMAT
                    || !in.readUTF().equals(settings) || !in.readUTF().equals(moduleSha)) {
                return null;
            }
            int count = in.readInt();
            if (count < 1 || count > body) {
                return null;
            }
            List<ModuleCompiler.ClassFile> classes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int length = in.readInt();
                if (length < 0 || length > in.available()) {
                    return null;
                }
                classes.add(new ModuleCompiler.ClassFile(name, in.readNBytes(length)));
            }
            int functions = in.readInt();
            if (functions < 0 || (long) functions * 4 > in.available()) {
                return null;
            }
            List<String> owners = new ArrayList<>(functions);
            for (int i = 0; i < functions; i++) {
                int index = in.readInt();
                if (index < 0 || index >= count) {
                    return null;
                }
                owners.add(classes.get(index).binaryName());
            }
            int boundaryBytes = in.readInt();
            if (boundaryBytes < 0 || boundaryBytes != in.available()) {
                return null;
            }
            java.util.BitSet boundary = java.util.BitSet.valueOf(in.readNBytes(boundaryBytes));
            return new Entry(new ModuleCompiler.Output(classes.get(0).binaryName(), classes.get(0).bytes(),
                    List.copyOf(classes.subList(1, count)), List.copyOf(owners)), boundary);
        } catch (IOException | RuntimeException e) {
            return null;
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

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Everything besides the module's bytes that decides what the compiler generates: the
     * compiler's own build (see {@link #compilerFingerprint}), the engine options it reads, the
     * tuning properties it reads, and the JVM's class-file version.
     */
    private static String settingsHash(Engine.Options o) {
        String s = "compiler=" + compilerFingerprint()
                + ";checks=" + o.checks()
                + ";methodLimit=" + o.methodSizeLimit()
                + ";classLimit=" + o.classSizeLimit()
                + ";defaultMethodLimit=" + System.getProperty("wasmudf.compile.methodLimit", "")
                + ";memoryAccessCost=" + System.getProperty("wasmudf.compile.memoryAccessCost", "")
                + ";rawMemory=" + io.wasmudf.engine.internal.runtime.Mem.raw() // inline Unsafe accesses or Mem calls
                + ";jvm=" + Runtime.version().feature();
        return HexFormat.of().formatHex(digest().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static volatile String fingerprint;

    /**
     * A hash of the engine's own class files, so that any change to the compiler or to the runtime
     * the generated code calls invalidates every entry — no version number to forget to bump. From
     * the jar's central directory (names and CRCs, no decompression) or, when running from a
     * directory of classes, the files' contents. When the classes cannot be found it is random, so
     * entries of this JVM are never used by another.
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
        MessageDigest md = digest();
        String pkg = CodeCache.class.getPackageName().replace('.', '/') + "/";
        try {
            var source = CodeCache.class.getProtectionDomain().getCodeSource();
            Path root = Path.of(URI.create(source.getLocation().toString()));
            if (Files.isDirectory(root)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(root.resolve(pkg))) {
                    files = walk.filter(p -> p.toString().endsWith(".class")).sorted().toList();
                }
                for (Path p : files) {
                    md.update(root.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
                    try (InputStream in = Files.newInputStream(p)) {
                        md.update(in.readAllBytes());
                    }
                }
            } else {
                try (ZipFile jar = new ZipFile(root.toFile())) {
                    List<? extends ZipEntry> entries = jar.stream()
                            .filter(e -> e.getName().startsWith(pkg) && e.getName().endsWith(".class"))
                            .sorted(Comparator.comparing(ZipEntry::getName)).toList();
                    for (ZipEntry e : entries) {
                        md.update(e.getName().getBytes(StandardCharsets.UTF_8));
                        md.update(Long.toString(e.getCrc()).getBytes(StandardCharsets.US_ASCII));
                        md.update(Long.toString(e.getSize()).getBytes(StandardCharsets.US_ASCII));
                    }
                    if (entries.isEmpty()) {
                        throw new IOException("no engine classes in " + root);
                    }
                }
            }
            // ASM shapes the class files too
            var asm = org.objectweb.asm.ClassWriter.class.getPackage().getImplementationVersion();
            md.update(("asm=" + asm).getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException | Error e) {
            md.update(("unknown:" + System.nanoTime() + ":" + Math.random()).getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
