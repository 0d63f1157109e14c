package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.engine.WasmFeatures;
import io.wasmudf.engine.Wat;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.runtime.Ops;
import io.wasmudf.engine.internal.validate.Validator;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The call-free forms of {@link HelperFreeForms} against the helpers they replace ({@code Ops},
 * {@code Integer}), on the edge values where the JVM and Wasm differ: NaN (both operand orders,
 * several payloads), signed zeros, infinities, unsigned values of 2^31 and more, shift counts of
 * 64 and more, division by zero. Also that the forms really leave no call behind and that a float
 * comparison feeding a branch keeps the helper (the shape the mandelbrot kernel was measured with).
 */
class HelperFreeFormsTest {
    private static final double[] DOUBLES = {0.0, -0.0, 1.0, -1.0, 1.5, Double.MIN_VALUE, Double.MAX_VALUE,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
        Double.longBitsToDouble(0x7FF0_0000_0000_0001L), Double.longBitsToDouble(0xFFF8_0000_0000_1234L), 1e12, -1e12};
    private static final float[] FLOATS = {0f, -0f, 1f, -1f, 1.5f, Float.MIN_VALUE, Float.MAX_VALUE,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0x7F80_0001), Float.intBitsToFloat(0xFFC0_1234)};
    private static final int[] INTS = {0, 1, -1, 2, 3, 7, 13, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE + 1, 0xFFFF, 0x8000_0001, 0xFFFF_FFFE};
    private static final long[] LONGS = {0, 1, -1, 5, 31, 32, 63, 64, 65, 127, Long.MIN_VALUE, Long.MAX_VALUE, 0xFFFF_FFFFL, 0x1_0000_0001L};
    private static final String[] CMP = {"eq", "ne", "lt", "gt", "le", "ge"};

    private static Instance instance(String wat) {
        return Engine.builder().build().compile(Wat.toBinary(wat)).instantiate();
    }

    /** Each comparison as a value (stored to a local, then returned, so nothing branches on it). */
    private static String comparisons(String t) {
        StringBuilder s = new StringBuilder("(module");
        for (String c : CMP) {
            s.append("(func (export \"").append(c).append("\") (param ").append(t).append(' ').append(t)
                    .append(") (result i32) (local i32) local.get 0 local.get 1 ").append(t).append('.').append(c)
                    .append(" local.set 2 local.get 2)");
        }
        return s.append(')').toString();
    }

    @Test
    void f64ComparisonsMatchTheHelpers() throws Throwable {
        Instance in = instance(comparisons("f64"));
        for (String c : CMP) {
            MethodHandle h = in.function(c).handle();
            MethodHandle helper = java.lang.invoke.MethodHandles.lookup().findStatic(Ops.class, "f64" + Character.toUpperCase(c.charAt(0)) + c.substring(1),
                    java.lang.invoke.MethodType.methodType(int.class, double.class, double.class));
            for (double a : DOUBLES) {
                for (double b : DOUBLES) {
                    assertEquals((int) helper.invokeExact(a, b), (int) h.invokeExact(a, b), "f64." + c + " " + a + ", " + b);
                }
            }
        }
    }

    @Test
    void f32ComparisonsMatchTheHelpers() throws Throwable {
        Instance in = instance(comparisons("f32"));
        for (String c : CMP) {
            MethodHandle h = in.function(c).handle();
            MethodHandle helper = java.lang.invoke.MethodHandles.lookup().findStatic(Ops.class, "f32" + Character.toUpperCase(c.charAt(0)) + c.substring(1),
                    java.lang.invoke.MethodType.methodType(int.class, float.class, float.class));
            for (float a : FLOATS) {
                for (float b : FLOATS) {
                    assertEquals((int) helper.invokeExact(a, b), (int) h.invokeExact(a, b), "f32." + c + " " + a + ", " + b);
                }
            }
        }
    }

    @Test
    void selectKeepsTheChosenOperandsBits() throws Throwable {
        Instance in = instance("(module"
                + "(func (export \"d\") (param f64 f64 i32) (result f64) local.get 0 local.get 1 local.get 2 select)"
                + "(func (export \"f\") (param f32 f32 i32) (result f32) local.get 0 local.get 1 local.get 2 select)"
                + "(func (export \"j\") (param i64 i64 i32) (result i64) local.get 0 local.get 1 local.get 2 select)"
                // a select with more values below it on the stack, and its result used again
                + "(func (export \"deep\") (param f64 f64 i32) (result f64) f64.const 0.25 local.get 0 local.get 1 local.get 2 select f64.add))");
        MethodHandle d = in.function("d").handle();
        MethodHandle f = in.function("f").handle();
        MethodHandle j = in.function("j").handle();
        MethodHandle deep = in.function("deep").handle();
        for (int c : new int[] {0, 1, -1, Integer.MIN_VALUE, 2}) {
            for (double a : DOUBLES) {
                for (double b : DOUBLES) {
                    double r = (double) d.invokeExact(a, b, c);
                    assertEquals(Double.doubleToRawLongBits(c != 0 ? a : b), Double.doubleToRawLongBits(r), "f64 select " + a + ", " + b + ", " + c);
                    assertEquals(0.25 + (c != 0 ? a : b), (double) deep.invokeExact(a, b, c));
                }
            }
            for (float a : FLOATS) {
                for (float b : FLOATS) {
                    float r = (float) f.invokeExact(a, b, c);
                    assertEquals(Float.floatToRawIntBits(c != 0 ? a : b), Float.floatToRawIntBits(r), "f32 select " + a + ", " + b + ", " + c);
                }
            }
            for (long a : LONGS) {
                assertEquals(c != 0 ? a : 77L, (long) j.invokeExact(a, 77L, c));
            }
        }
    }

    @Test
    void shiftsConversionsAndUnsignedDivisionMatchJava() throws Throwable {
        Instance in = instance("(module"
                + "(func (export \"shl\") (param i64 i64) (result i64) local.get 0 local.get 1 i64.shl)"
                + "(func (export \"shr_s\") (param i64 i64) (result i64) local.get 0 local.get 1 i64.shr_s)"
                + "(func (export \"shr_u\") (param i64 i64) (result i64) local.get 0 local.get 1 i64.shr_u)"
                + "(func (export \"div_u\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_u)"
                + "(func (export \"rem_u\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.rem_u)"
                + "(func (export \"cvt_d\") (param i32) (result f64) local.get 0 f64.convert_i32_u)"
                + "(func (export \"cvt_f\") (param i32) (result f32) local.get 0 f32.convert_i32_u))");
        MethodHandle shl = in.function("shl").handle();
        MethodHandle shrS = in.function("shr_s").handle();
        MethodHandle shrU = in.function("shr_u").handle();
        MethodHandle divU = in.function("div_u").handle();
        MethodHandle remU = in.function("rem_u").handle();
        MethodHandle cvtD = in.function("cvt_d").handle();
        MethodHandle cvtF = in.function("cvt_f").handle();
        for (long a : LONGS) {
            for (long b : LONGS) {
                assertEquals(a << (b & 63), (long) shl.invokeExact(a, b), "shl " + a + ", " + b);
                assertEquals(a >> (b & 63), (long) shrS.invokeExact(a, b), "shr_s " + a + ", " + b);
                assertEquals(a >>> (b & 63), (long) shrU.invokeExact(a, b), "shr_u " + a + ", " + b);
            }
        }
        for (int a : INTS) {
            assertEquals((double) Integer.toUnsignedLong(a), (double) cvtD.invokeExact(a));
            assertEquals((float) Integer.toUnsignedLong(a), (float) cvtF.invokeExact(a));
            for (int b : INTS) {
                if (b == 0) {
                    for (MethodHandle h : new MethodHandle[] {divU, remU}) {
                        Trap t = assertThrows(Trap.class, () -> {
                            int unused = (int) h.invokeExact(a, 0);
                        });
                        assertEquals(TrapKind.INTEGER_DIVIDE_BY_ZERO, t.kind());
                    }
                    continue;
                }
                assertEquals(Integer.divideUnsigned(a, b), (int) divU.invokeExact(a, b), "div_u " + a + ", " + b);
                assertEquals(Integer.remainderUnsigned(a, b), (int) remU.invokeExact(a, b), "rem_u " + a + ", " + b);
            }
        }
    }

    /** What the module's functions call, as "owner.name", from the compiler's own output. */
    private static List<String> calls(String wat) {
        WasmModule m = ModuleDecoder.decode(Wat.toBinary(wat), WasmFeatures.V3_0);
        Validator.validate(m, WasmFeatures.V3_0);
        ModuleCompiler.Output out = ModuleCompiler.compile(m, ModuleCompiler.Checks.NONE);
        List<String> calls = new ArrayList<>();
        new ClassReader(out.bytes()).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                if (!name.startsWith("f")) {
                    return null;
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
                        calls.add(owner.substring(owner.lastIndexOf('/') + 1) + "." + n);
                    }
                };
            }
        }, 0);
        return calls;
    }

    @Test
    void coveredInstructionsCallNothingAndBranchingComparisonsKeepTheirHelper() {
        List<String> none = calls("(module (func (param f64 f64 i64 i32) (result f64)"
                + " local.get 0 local.get 1 local.get 0 local.get 1 f64.gt select"
                + " local.get 2 local.get 2 i64.shr_u local.get 2 local.get 3 select f64.convert_i64_s f64.add"
                + " local.get 3 f64.convert_i32_u f64.add))");
        // the select forms are emitted only with -Dwasmudf.compile.helperFreeForms=all (not the default)
        boolean bulky = HelperFreeForms.FORMS.equals("all");
        assertEquals(bulky ? List.of() : List.of("Ops.selectD", "Ops.selectJ"),
                none.stream().filter(c -> !c.startsWith("Wasm")).toList());
        List<String> branching = calls("(module (func (param f64 f64) (result i32)"
                + " (block local.get 0 local.get 1 f64.le br_if 0 local.get 0 local.get 1 f64.lt i32.eqz br_if 0) i32.const 1))");
        assertEquals(List.of("Ops.f64Le", "Ops.f64Lt"), branching);
        // i32 select and comparisons as values stay calls (the crc32 and fib kernels' C2 shapes)
        List<String> kept = calls("(module (func (param i32 i32) (result i32) local.get 0 local.get 1 local.get 0 local.get 1 i32.gt_u select))");
        assertEquals(List.of("Ops.i32GtU", "Ops.selectI"), kept);
        // i32.div_u and rem_u are calls exactly where Integer.divideUnsigned is a C2 intrinsic (JDK 19+)
        boolean intrinsic = Runtime.version().feature() >= 19;
        List<String> div = calls("(module (func (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_u))");
        // (only with helperFreeForms=all: the default keeps the call everywhere)
        assertEquals(intrinsic || !bulky, div.contains("Integer.divideUnsigned"));
        assertFalse(!intrinsic && bulky && !div.isEmpty());
        assertTrue(HelperFreeForms.covers(io.wasmudf.engine.internal.model.Opcodes.F64_LT));
    }
}
