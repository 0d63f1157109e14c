package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.objectweb.asm.Opcodes.ACC_ABSTRACT;
import static org.objectweb.asm.Opcodes.ACC_INTERFACE;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.V17;

import java.io.Serializable;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntBinaryOperator;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;

/** {@link WasmFunction#as}: exports and host functions as functional interfaces, on {@code interfaces.wat}. */
class WasmFunctionAsTest {
    private static final FuncType I64_TO_I64 = FuncType.of(List.of(ValType.I64), List.of(ValType.I64));

    /** A user's own interface with mixed parameter types. */
    public interface Scale {
        double scale(long n, double factor);
    }

    public interface FloatOp {
        float apply(float x);

        default float twice(float x) {
            return apply(apply(x));
        }

        @Override
        String toString();
    }

    /** Several results come back as the handle returns them: boxed in an {@code Object[]}. */
    public interface Swap {
        Object[] swap(int a, float b);
    }

    public interface Two {
        int a(int x);

        int b(int x);
    }

    public interface Left {
        int f(int x);
    }

    public interface Right {
        int f(int x);
    }

    /** The same method inherited along two paths is still one method. */
    public interface Both extends Left, Right {}

    interface Hidden {
        int f(int x);
    }

    private static long twice(long v) {
        return v * 2;
    }

    private static long fail(long v) {
        throw new IllegalStateException("host says no to " + v);
    }

    private static WasmFunction host(String method) throws ReflectiveOperationException {
        MethodHandle h = MethodHandles.lookup().findStatic(WasmFunctionAsTest.class, method,
                MethodType.methodType(long.class, long.class));
        return WasmFunction.host(I64_TO_I64, h);
    }

    private static Instance instance() throws Exception {
        Imports imports = Imports.builder().add("host", "twice", host("twice")).build();
        return Engine.create().compile(EngineApiTest.bytes("interfaces.wasm")).instantiate(imports);
    }

    @Test
    void intBinaryOperatorCallsTheExport() throws Exception {
        IntBinaryOperator add = instance().function("add").as(IntBinaryOperator.class);
        assertEquals(42, add.applyAsInt(40, 2));
        assertEquals(Integer.MIN_VALUE, add.applyAsInt(Integer.MAX_VALUE, 1));
        int sum = 0;
        for (int i = 0; i < 100_000; i++) {
            sum = add.applyAsInt(sum, i);
        }
        assertEquals((int) (99_999L * 100_000L / 2), sum);
    }

    @Test
    void userInterfacesWithMixedTypes() throws Exception {
        Instance inst = instance();
        Scale scale = inst.function("scale").as(Scale.class);
        assertEquals(4.5, scale.scale(3, 1.5));
        assertEquals(-1e18, scale.scale(-1_000_000_000_000_000_000L, 1.0));

        FloatOp half = inst.function("half").as(FloatOp.class);
        assertEquals(1.5f, half.apply(3f));
        assertEquals(0.75f, half.twice(3f));
        assertEquals("FloatOp of Wasm func [f32] -> [f32]", half.toString());

        assertEquals(-7, inst.function("neg").as(Both.class).f(7));
    }

    @Test
    void voidAndNoParameters() throws Exception {
        Instance inst = instance();
        Runnable tick = inst.function("tick").as(Runnable.class);
        LongSupplier ticks = inst.function("ticks").as(LongSupplier.class);
        assertEquals(0, ticks.getAsLong());
        for (int i = 0; i < 5; i++) {
            tick.run();
        }
        assertEquals(5, ticks.getAsLong());
    }

    @Test
    void referencesAndSeveralResults() throws Exception {
        Instance inst = instance();
        @SuppressWarnings("unchecked")
        UnaryOperator<Object> id = inst.function("ref_id").as(UnaryOperator.class);
        Object token = new Object();
        assertSame(token, id.apply(token));
        assertEquals(null, id.apply(null));

        Swap swap = inst.function("swap").as(Swap.class);
        assertArrayEquals(new Object[] {2.5f, 7}, swap.swap(7, 2.5f));
    }

    @Test
    void trapsSurfaceAsTrap() throws Exception {
        Instance inst = instance();
        IntBinaryOperator div = inst.function("div_s").as(IntBinaryOperator.class);
        assertEquals(-3, div.applyAsInt(7, -2));
        assertEquals(TrapKind.INTEGER_DIVIDE_BY_ZERO, assertThrows(Trap.class, () -> div.applyAsInt(1, 0)).kind());
        assertEquals(TrapKind.INTEGER_OVERFLOW,
                assertThrows(Trap.class, () -> div.applyAsInt(Integer.MIN_VALUE, -1)).kind());

        IntUnaryOperator load = inst.function("load").as(IntUnaryOperator.class);
        assertEquals(0, load.applyAsInt(65532));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, assertThrows(Trap.class, () -> load.applyAsInt(65533)).kind());

        Runnable trap = inst.function("trap").as(Runnable.class);
        assertEquals(TrapKind.UNREACHABLE, assertThrows(Trap.class, trap::run).kind());
    }

    @Test
    void hostFunctions() throws Exception {
        LongUnaryOperator twice = host("twice").as(LongUnaryOperator.class);
        assertEquals(84, twice.applyAsLong(42));

        Trap trap = assertThrows(Trap.class, () -> host("fail").as(LongUnaryOperator.class).applyAsLong(3));
        assertEquals(TrapKind.HOST_ERROR, trap.kind());
        assertEquals("host says no to 3", trap.getCause().getMessage());

        assertEquals(-10, instance().function("call_twice").as(LongUnaryOperator.class).applyAsLong(-5));
    }

    @Test
    void eachCallGivesItsOwnObject() throws Exception {
        WasmFunction add = instance().function("add");
        IntBinaryOperator a = add.as(IntBinaryOperator.class);
        IntBinaryOperator b = add.as(IntBinaryOperator.class);
        assertNotSame(a, b);
        assertEquals(a.applyAsInt(1, 2), b.applyAsInt(1, 2));
    }

    private static String refusal(WasmFunction f, Class<?> type) {
        return assertThrows(IllegalArgumentException.class, () -> f.as(type)).getMessage();
    }

    @Test
    void signatureMismatchesNameBothSides() throws Exception {
        Instance inst = instance();
        WasmFunction add = inst.function("add");
        assertEquals("java.util.function.IntUnaryOperator: int applyAsInt(int) does not match Wasm func [i32, i32] -> [i32],"
                + " which needs int applyAsInt(int, int)", refusal(add, IntUnaryOperator.class));
        assertEquals("java.util.function.LongBinaryOperator: long applyAsLong(long, long) does not match Wasm"
                + " func [i32, i32] -> [i32], which needs int applyAsLong(int, int)", refusal(add, LongBinaryOperator.class));
        assertEquals("java.lang.Runnable: void run() does not match Wasm func [i32, i32] -> [i32], which needs int run(int, int)",
                refusal(add, Runnable.class));
        assertEquals("java.util.function.IntConsumer: void accept(int) does not match Wasm func [i32] -> [i32],"
                + " which needs int accept(int)", refusal(inst.function("neg"), IntConsumer.class));
        assertEquals("java.util.function.IntSupplier: int getAsInt() does not match Wasm func [] -> [i64],"
                + " which needs long getAsInt()", refusal(inst.function("ticks"), IntSupplier.class));
        assertEquals("io.wasmudf.engine.WasmFunctionAsTest$Scale: double scale(long, double) does not match Wasm"
                + " func [i64, f32] -> [f64], which needs double scale(long, float)",
                refusal(WasmFunction.host(FuncType.of(List.of(ValType.I64, ValType.F32), List.of(ValType.F64)),
                        MethodHandles.empty(MethodType.methodType(double.class, long.class, float.class))), Scale.class));
        // Comparator redeclares equals(Object): skipped as the JLS does, so compare is the method checked.
        assertEquals("java.util.Comparator: int compare(Object, Object) does not match Wasm func [i32, i32] -> [i32],"
                + " which needs int compare(int, int)", refusal(add, Comparator.class));
        assertEquals("io.wasmudf.engine.WasmFunctionAsTest$Swap: Object[] swap(int, float) does not match Wasm"
                + " func [i32, i32] -> [i32], which needs int swap(int, int)", refusal(add, Swap.class));
    }

    @Test
    void onlyPublicFunctionalInterfaces() throws Exception {
        WasmFunction add = instance().function("add");
        assertEquals("java.lang.Object is not an interface", refusal(add, Object.class));
        assertEquals("java.lang.Number is not an interface", refusal(add, Number.class));
        assertEquals("java.lang.Override is not an interface", refusal(add, Override.class));
        assertEquals("io.wasmudf.engine.WasmFunctionAsTest$Two is not a functional interface: it has 2 abstract methods"
                + " (int a(int), int b(int))", refusal(add, Two.class));
        assertEquals("java.io.Serializable is not a functional interface: it has 0 abstract methods",
                refusal(add, Serializable.class));
        assertEquals("io.wasmudf.engine.WasmFunctionAsTest$Hidden is not a public interface of an exported package",
                refusal(add, Hidden.class));
        assertThrows(NullPointerException.class, () -> add.as(null));
    }

    /** An interface the engine's class loader cannot see, as in a container where the engine is in a parent loader. */
    @Test
    void interfaceFromAChildClassLoader() throws Exception {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(V17, ACC_PUBLIC | ACC_INTERFACE | ACC_ABSTRACT, "plugin/Adder", null, "java/lang/Object", null);
        cw.visitMethod(ACC_PUBLIC | ACC_ABSTRACT, "add", "(II)I", null, null).visitEnd();
        cw.visitEnd();
        byte[] bytes = cw.toByteArray();
        Class<?> adder = new ClassLoader(WasmFunctionAsTest.class.getClassLoader()) {
            Class<?> define() {
                return defineClass("plugin.Adder", bytes, 0, bytes.length);
            }
        }.define();
        assertThrows(ClassNotFoundException.class, () -> Class.forName("plugin.Adder", false, WasmFunction.class.getClassLoader()));

        Object impl = instance().function("add").as(adder);
        Method add = adder.getMethod("add", int.class, int.class);
        assertEquals(42, add.invoke(impl, 40, 2));
        Object div = instance().function("div_s").as(adder);
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> add.invoke(div, 1, 0));
        assertEquals(TrapKind.INTEGER_DIVIDE_BY_ZERO, ((Trap) e.getCause()).kind());
    }
}
