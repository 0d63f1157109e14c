package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link Wat#toBinary}: construct by construct, checked by running the result where the engine
 * runs it, else against the spec's binary encoding; errors with line and column.
 */
class WatTest {
    private static final String HEADER = "0061736d01000000";

    private static Object call(String wat, String export, Object... args) throws Throwable {
        Instance instance = Engine.create().compile(Wat.toBinary(wat)).instantiate(Imports.empty());
        return instance.function(export).call(args)[0];
    }

    private static String hex(String wat) {
        return HexFormat.of().formatHex(Wat.toBinary(wat));
    }

    private static WatSyntaxException error(String wat) {
        return assertThrows(WatSyntaxException.class, () -> Wat.toBinary(wat));
    }

    @Test
    void foldedAndPlainInstructionsNamesAndLabels() throws Throwable {
        String wat = "(module (func $fac (export \"fac\") (param $n i64) (result i64)\n"
                + "  (if (result i64) (i64.eqz (local.get $n)) (then (i64.const 1))\n"
                + "    (else (i64.mul (local.get $n) (call $fac (i64.sub (local.get $n) (i64.const 1)))))))\n"
                + " (func (export \"loop\") (param i32) (result i32) (local $acc i32)\n"
                + "  block $done loop $l\n"
                + "    local.get 0 i32.eqz br_if $done\n"
                + "    local.get $acc local.get 0 i32.add local.set $acc\n"
                + "    local.get 0 i32.const 1 i32.sub local.set 0 br $l\n"
                + "  end $l end $done local.get $acc))";
        assertEquals(3628800L, call(wat, "fac", 10L));
        assertEquals(5050, call(wat, "loop", 100));
    }

    @Test
    void bareFieldsMemoryDataGlobalsTablesAndElements() throws Throwable {
        String wat = "(memory (export \"mem\") (data \"\\01\\02\" \"\\u{e9}\"))\n"
                + "(global $g (mut i32) (i32.const 40))\n"
                + "(table $t funcref (elem $two $three))\n"
                + "(type $v2i (func (result i32)))\n"
                + "(func $two (type $v2i) (i32.const 2))\n"
                + "(func $three (result i32) i32.const 3)\n"
                + "(func (export \"run\") (param i32) (result i32)\n"
                + "  (global.set $g (i32.add (global.get $g) (call_indirect $t (type $v2i) (local.get 0))))\n"
                + "  (i32.add (global.get $g) (i32.load8_u offset=3 (i32.const 0))))";
        assertEquals(40 + 3 + 0xA9, call(wat, "run", 1));
    }

    @Test
    void implicitTypesReuseMatchingExplicitOnesAndAppendOthersInOrder() {
        // (func) matches type 0; (param i32) is new and goes after the explicit types.
        String bin = hex("(type (func)) (func) (func (param i32)) (type (func (result i32)))");
        assertEquals(HEADER + "010c03" + "600000" + "6000017f" + "60017f00" + "0303020002" + "0a07020200" + "0b02000b", bin);
    }

    @Test
    void numberLiterals() throws Throwable {
        String wat = "(func (export \"f\") (result f64) (f64.const 0x1.fffffffffffff8p1023))";
        assertEquals("constant out of range", error(wat).reason());
        assertEquals(0x7FC00001, Float.floatToRawIntBits((Float) call("(func (export \"n\") (result f32) (f32.const nan:0x400001))", "n")));
        assertEquals(0xFFF00000_00000001L, Double.doubleToRawLongBits((Double) call("(func (export \"m\") (result f64) (f64.const -nan:0x1))", "m")));
        // just below and just above half the smallest f32 subnormal (7.00649...e-46)
        assertEquals(0.0f, call("(func (export \"d\") (result f32) (f32.const 0.000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_7006))", "d"));
        assertEquals(Float.MIN_VALUE, call("(func (export \"d\") (result f32) (f32.const 0.000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_7007))", "d"));
        assertEquals(-1, call("(func (export \"i\") (result i32) (i32.const 0xffff_ffff))", "i"));
        assertEquals(Long.MIN_VALUE, call("(func (export \"l\") (result i64) (i64.const -0x8000_0000_0000_0000))", "l"));
        // halfway between the two smallest subnormals: ties to even
        assertEquals(Double.MIN_VALUE * 2, call("(func (export \"s\") (result f64) (f64.const 0x1.8p-1074))", "s"));
        assertEquals(Float.MAX_VALUE, call("(func (export \"x\") (result f32) (f32.const 0x1.fffffefffffffp127))", "x"));
        assertEquals("constant out of range", error("(func (f32.const 0x1.ffffffp127) drop)").reason());
        assertEquals("constant out of range", error("(func (i32.const 0x1_0000_0000) drop)").reason());
        assertEquals("unknown operator 1_", error("(func (i32.const 1_) drop)").reason());
    }

    @Test
    void errorsCarryLineColumnAndTheSpecsWording() {
        WatSyntaxException e = error("(module\n  (func (i32.add2)))");
        assertEquals("unknown operator i32.add2", e.reason());
        assertEquals(2, e.line());
        assertEquals(10, e.column());
        assertEquals("2:10: unknown operator i32.add2", e.getMessage());
        assertEquals("unknown label", error("(func (br $nowhere))").reason());
        assertEquals("mismatching label", error("(func block $a end $b)").reason());
        assertEquals("duplicate func", error("(func $f) (func $f)").reason());
        assertEquals("duplicate local", error("(func (param $x i32) (local $x i32))").reason());
        assertEquals("import after function", error("(func) (import \"m\" \"f\" (func))").reason());
        assertEquals("inline function type", error("(type (func)) (func (type 0) (param i32))").reason());
        assertEquals("alignment must be a power of two", error("(memory 1) (func (i32.load align=3 (i32.const 0)) drop)").reason());
        assertEquals("unclosed string", error("(func (export \"f))").reason());
        assertEquals("malformed UTF-8 encoding", error("(func (export \"\\ff\"))").reason());
        assertEquals("unexpected token", error("(func (result i32) (param i32))").reason());
        assertEquals("multiple start sections", error("(func $f) (start $f) (start $f)").reason());
    }

    @Test
    void commentsAndAnnotationsAreSkipped() throws Throwable {
        String wat = "(module (; block (; nested ;) ;) (@custom \"x\" (@y z) \"\\00\")\n"
                + " (func (export \"f\") (result i32) ;; line\r (i32.const 7)))";
        assertEquals(7, call(wat, "f"));
        assertEquals("unclosed annotation", error("(module (@a (b)").reason());
    }

    @Test
    void bulkMemoryAndReferenceInstructions() throws Throwable {
        String wat = "(memory 1) (data $d \"hello\") (table 2 funcref) (elem $e func $f)\n"
                + "(func $f (result i32) (i32.const 9))\n"
                + "(func (export \"run\") (result i32)\n"
                + "  (memory.init $d (i32.const 100) (i32.const 1) (i32.const 4)) (data.drop $d)\n"
                + "  (table.init $e (i32.const 1) (i32.const 0) (i32.const 1)) (elem.drop $e)\n"
                + "  (i32.add (i32.load8_u (i32.const 100)) (call_indirect (result i32) (i32.const 1))))";
        assertEquals('e' + 9, call(wat, "run"));
    }

    /**
     * Wasm 3.0 constructs the engine does not run yet: the expected bytes are what wasm-tools'
     * text parser (npm @bytecodealliance/jco 1.35.0) writes for the same text, name section removed.
     */
    @Test
    void wasm3EncodingsAsWasmToolsWritesThem() {
        // rec group, sub types, struct field names, struct.get, return_call
        assertEquals("0061736d01000000011a024e0250005f027f007e015001005f027f007e0160016300017e03030202020a110208002000"
                + "fb0200010b0600200012000b",
                hex("(rec (type $s (sub (struct (field $x i32) (field $y (mut i64))))) (type (sub $s (struct (field i32) "
                        + "(field (mut i64)))))) (func $f (param (ref null $s)) (result i64) (struct.get $s $y (local.get 0))) "
                        + "(func (param (ref null $s)) (result i64) (return_call $f (local.get 0)))"));
        // tag, try_table with catch clauses, throw
        assertEquals("0061736d01000000010401600000030201000d030100000a1201100002401f4002000000030008000b0b0b",
                hex("(tag $e) (func (block $b (try_table (catch $e $b) (catch_all_ref $b) (throw $e))))"));
        // memory64, multi-memory memarg
        assertEquals("0061736d010000000105016000017f0302010005060204010101020a0b010900420028400180080b",
                hex("(memory i64 1) (memory $m 1 2) (func (result i32) (i32.load $m offset=1024 align=1 (i64.const 0)))"));
        // SIMD constants and shuffle, relaxed SIMD
        assertEquals("0061736d010000000105016000017b030201000a4f014d00fd0c010000000200000003000000fffffffffd0c0000803f"
                + "000000000000000000000000fd0c00000000000000000000000000000000fd0d000102030405060708090a0b0c0d0e1ffd80020b",
                hex("(func (result v128) (i8x16.relaxed_swizzle (v128.const i32x4 1 2 3 -1) (i8x16.shuffle 0 1 2 3 4 5 6 7 "
                        + "8 9 10 11 12 13 14 31 (v128.const f32x4 1 0 0 0) (v128.const i64x2 0 0))))"));
        // GC casts: br_on_cast, ref.test, ref.cast, array type, abstract heap types
        assertEquals("0061736d01000000010902" + "5e780160016e017f030201010a1b0119000263002000fb1803006e00fb146c1ad0710bfb"
                + "1600fb0f0b",
                hex("(type $a (array (mut i8))) (func (param (ref null any)) (result i32) (block $l (result (ref null $a)) "
                        + "(br_on_cast $l anyref (ref null $a) (local.get 0)) (ref.test (ref i31)) (drop) (ref.null none)) "
                        + "(ref.cast (ref $a)) (array.len))"));
    }

    /** Every .wat in the project with a .wasm next to it (built by wabt's wat2wasm) encodes to the same bytes. */
    @Test
    void projectWatFilesEncodeAsWat2wasmDid() throws IOException {
        List<String> different = new ArrayList<>();
        int compared = 0;
        try (Stream<Path> files = Files.walk(Paths.get(".."))) {
            for (Path wat : files.filter(p -> p.toString().endsWith(".wat") && !p.toString().contains("/target/")).toList()) {
                Path wasm = Paths.get(wat.toString().replaceFirst("\\.wat$", ".wasm"));
                if (!Files.exists(wasm)) {
                    continue;
                }
                compared++;
                byte[] ours;
                try {
                    ours = Wat.toBinary(Files.readAllBytes(wat));
                } catch (WatSyntaxException e) {
                    different.add(wat + ": " + e.getMessage());
                    continue;
                }
                if (!java.util.Arrays.equals(ours, Files.readAllBytes(wasm))) {
                    different.add(wat.toString());
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        assertEquals(List.of(), different);
        assertEquals(true, compared >= 18, compared + " files compared");
    }

    @Test
    void quoteAndBinaryModules() {
        assertArrayEquals(Wat.toBinary("(func)"), Wat.toBinary("(module quote \"(func\" \")\")"));
        assertArrayEquals(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}, Wat.toBinary("(module binary \"\\00asm\" \"\\01\\00\\00\\00\")"));
    }
}
