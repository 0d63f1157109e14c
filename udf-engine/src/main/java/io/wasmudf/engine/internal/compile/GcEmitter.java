package io.wasmudf.engine.internal.compile;

import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.I2B;
import static org.objectweb.asm.Opcodes.I2L;
import static org.objectweb.asm.Opcodes.I2S;
import static org.objectweb.asm.Opcodes.IAND;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.IFNE;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.L2I;

import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.DefType;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.RefOpcodes;
import io.wasmudf.engine.internal.runtime.GcType;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Compiles the GC instructions (3.0) to calls of the runtime's {@code Gc} helpers: structs and
 * arrays are JVM objects ({@code GcStruct}, {@code GcArray}) the JVM's collector reclaims, numbers
 * cross as raw bits ({@code long}), v128 values as their {@code V128} objects, and packed fields
 * are narrowed when read.
 */
final class GcEmitter {
    private static final String GC = "io/wasmudf/engine/internal/runtime/Gc";
    private static final String OBJ = "Ljava/lang/Object;";
    private static final String SELF = "Lio/wasmudf/engine/internal/runtime/ModuleInstance;";

    private final FunctionCompiler fc;
    private final MethodVisitor mv;

    GcEmitter(FunctionCompiler fc, MethodVisitor mv) {
        this.fc = fc;
        this.mv = mv;
    }

    private DefType def(int typeIndex) {
        return fc.layout.module.defTypes().get(typeIndex);
    }

    private ValType jvm(int code) {
        return fc.layout.jvm(code);
    }

    private void call(String name, String desc) {
        mv.visitMethodInsn(INVOKESTATIC, GC, name, desc, false);
    }

    private void self() {
        mv.visitVarInsn(ALOAD, fc.selfSlot);
    }

    private void constant(int v) {
        JvmInsns.pushInt(mv, v);
    }

    void emit(Instruction in) {
        int op = in.opcode();
        switch (op) {
            case RefOpcodes.STRUCT_NEW: {
                DefType t = def(in.a());
                int n = t.fields().length;
                int save = fc.nextTemp;
                int[] slots = new int[n];
                for (int k = n - 1; k >= 0; k--) {
                    ValType vt = jvm(DefType.unpacked(t.fields()[k]));
                    slots[k] = fc.temp(vt);
                    mv.visitVarInsn(JvmInsns.storeOp(vt), slots[k]);
                    fc.pop();
                }
                newStruct(in.a());
                for (int k = 0; k < n; k++) {
                    ValType vt = jvm(DefType.unpacked(t.fields()[k]));
                    mv.visitInsn(DUP);
                    mv.visitVarInsn(JvmInsns.loadOp(vt), slots[k]);
                    setField(t, k, vt);
                }
                fc.nextTemp = save;
                fc.push(ValType.ANYREF);
                return;
            }
            case RefOpcodes.STRUCT_NEW_DEFAULT:
                newStruct(in.a());
                fc.push(ValType.ANYREF);
                return;
            case RefOpcodes.STRUCT_GET: case RefOpcodes.STRUCT_GET_S: case RefOpcodes.STRUCT_GET_U: {
                DefType t = def(in.a());
                int storage = t.fields()[in.b()];
                ValType vt = jvm(DefType.unpacked(storage));
                constant(slot(t, in.b()));
                fc.pop();
                if (heldAsObject(vt)) {
                    call("getRef", "(" + OBJ + "I)" + OBJ);
                } else {
                    call("getBits", "(" + OBJ + "I)J");
                    fromBits(vt, storage, op == RefOpcodes.STRUCT_GET_S);
                }
                fc.push(vt);
                return;
            }
            case RefOpcodes.STRUCT_SET: {
                DefType t = def(in.a());
                ValType vt = fc.pop();
                fc.pop();
                setField(t, in.b(), vt);
                return;
            }
            case RefOpcodes.ARRAY_NEW: {
                ValType vt = jvm(DefType.unpacked(def(in.a()).fields()[0]));
                // [value, length]: the value's bits go under the length
                bitsUnderInt(vt);
                self();
                constant(in.a());
                call(heldAsObject(vt) ? "arrayNewRef" : "arrayNewBits", "(" + (heldAsObject(vt) ? OBJ : "J") + "I" + SELF + "I)" + OBJ);
                fc.pop(2);
                fc.push(ValType.ANYREF);
                return;
            }
            case RefOpcodes.ARRAY_NEW_DEFAULT:
                self();
                constant(in.a());
                call("arrayNew", "(I" + SELF + "I)" + OBJ);
                fc.pop();
                fc.push(ValType.ANYREF);
                return;
            case RefOpcodes.ARRAY_NEW_FIXED: {
                DefType t = def(in.a());
                ValType vt = jvm(DefType.unpacked(t.fields()[0]));
                int n = in.b();
                int save = fc.nextTemp;
                int[] slots = new int[n];
                for (int k = n - 1; k >= 0; k--) {
                    slots[k] = fc.temp(vt);
                    mv.visitVarInsn(JvmInsns.storeOp(vt), slots[k]);
                    fc.pop();
                }
                constant(n);
                self();
                constant(in.a());
                call("arrayNew", "(I" + SELF + "I)" + OBJ);
                for (int k = 0; k < n; k++) {
                    mv.visitInsn(DUP);
                    constant(k);
                    mv.visitVarInsn(JvmInsns.loadOp(vt), slots[k]);
                    arraySet(vt);
                }
                fc.nextTemp = save;
                fc.push(ValType.ANYREF);
                return;
            }
            case RefOpcodes.ARRAY_NEW_DATA: case RefOpcodes.ARRAY_NEW_ELEM:
                self();
                constant(in.a());
                constant(in.b());
                call(op == RefOpcodes.ARRAY_NEW_DATA ? "arrayNewData" : "arrayNewElem", "(II" + SELF + "II)" + OBJ);
                fc.pop(2);
                fc.push(ValType.ANYREF);
                return;
            case RefOpcodes.ARRAY_GET: case RefOpcodes.ARRAY_GET_S: case RefOpcodes.ARRAY_GET_U: {
                int storage = def(in.a()).fields()[0];
                ValType vt = jvm(DefType.unpacked(storage));
                fc.pop(2);
                if (heldAsObject(vt)) {
                    call("arrayGetRef", "(" + OBJ + "I)" + OBJ);
                } else {
                    call("arrayGetBits", "(" + OBJ + "I)J");
                    fromBits(vt, storage, op == RefOpcodes.ARRAY_GET_S);
                }
                fc.push(vt);
                return;
            }
            case RefOpcodes.ARRAY_SET: {
                ValType vt = fc.pop();
                fc.pop(2);
                arraySet(vt);
                return;
            }
            case RefOpcodes.ARRAY_LEN:
                call("arrayLen", "(" + OBJ + ")I");
                fc.pop();
                fc.push(ValType.I32);
                return;
            case RefOpcodes.ARRAY_FILL: {
                // [ref, offset, value, n]: the value's bits under n
                ValType vt = jvm(DefType.unpacked(def(in.a()).fields()[0]));
                bitsUnderInt(vt);
                call(heldAsObject(vt) ? "arrayFillRef" : "arrayFillBits", "(" + OBJ + "I" + (heldAsObject(vt) ? OBJ : "J") + "I)V");
                fc.pop(4);
                return;
            }
            case RefOpcodes.ARRAY_COPY:
                call("arrayCopy", "(" + OBJ + "I" + OBJ + "II)V");
                fc.pop(5);
                return;
            case RefOpcodes.ARRAY_INIT_DATA: case RefOpcodes.ARRAY_INIT_ELEM:
                self();
                constant(in.b());
                call(op == RefOpcodes.ARRAY_INIT_DATA ? "arrayInitData" : "arrayInitElem", "(" + OBJ + "III" + SELF + "I)V");
                fc.pop(4);
                return;
            case RefOpcodes.REF_TEST: case RefOpcodes.REF_TEST_NULL:
                self();
                constant(in.a());
                call("test", "(" + OBJ + SELF + "I)I");
                fc.pop();
                fc.push(ValType.I32);
                return;
            case RefOpcodes.REF_CAST: case RefOpcodes.REF_CAST_NULL:
                self();
                constant(in.a());
                call("cast", "(" + OBJ + SELF + "I)" + OBJ);
                fc.pop();
                fc.push(jvm(in.a()));
                return;
            case RefOpcodes.BR_ON_CAST: case RefOpcodes.BR_ON_CAST_FAIL: {
                Label stay = new Label();
                mv.visitInsn(DUP);
                self();
                constant(in.labels()[1]);
                call("test", "(" + OBJ + SELF + "I)I");
                mv.visitJumpInsn(op == RefOpcodes.BR_ON_CAST ? IFEQ : IFNE, stay);
                fc.emitBranch(in.a());
                fc.placeHere(stay);
                return;
            }
            case RefOpcodes.ANY_CONVERT_EXTERN:
                // the same JVM object on either side: a host value stays itself, an internalized GC value comes back
                fc.pop();
                fc.push(ValType.ANYREF);
                return;
            case RefOpcodes.EXTERN_CONVERT_ANY:
                fc.pop();
                fc.push(ValType.EXTERNREF);
                return;
            case RefOpcodes.REF_I31:
                call("i31", "(I)" + OBJ);
                fc.pop();
                fc.push(ValType.ANYREF);
                return;
            case RefOpcodes.I31_GET_S: case RefOpcodes.I31_GET_U:
                call(op == RefOpcodes.I31_GET_S ? "i31GetS" : "i31GetU", "(" + OBJ + ")I");
                fc.pop();
                fc.push(ValType.I32);
                return;
            default:
                throw new IllegalStateException("not a GC instruction: " + in);
        }
    }

    private void newStruct(int typeIndex) {
        self();
        constant(typeIndex);
        call("structNew", "(" + SELF + "I)" + OBJ);
    }

    /** Struct fields live in two arrays; a field's slot counts the earlier fields of its kind. */
    private static int slot(DefType t, int field) {
        boolean ref = heldAsObject(t.fields()[field]);
        int slot = 0;
        for (int k = 0; k < field; k++) {
            if (heldAsObject(t.fields()[k]) == ref) {
                slot++;
            }
        }
        return slot;
    }

    /** References and v128 values (immutable {@code V128} objects, one stack word) cross as objects, not bits. */
    private static boolean heldAsObject(ValType vt) {
        return vt.isReference() || vt == ValType.V128;
    }

    /** The storage-type form of {@link #heldAsObject(ValType)}: the runtime's own rule, so slots agree with {@code GcType}'s. */
    private static boolean heldAsObject(int storage) {
        return GcType.heldAsObject(storage);
    }

    /** [struct, value] → the field set. */
    private void setField(DefType t, int field, ValType vt) {
        toBits(vt);
        constant(slot(t, field));
        if (heldAsObject(vt)) {
            call("setRef", "(" + OBJ + OBJ + "I)V");
        } else {
            call("setBits", "(" + OBJ + "JI)V");
        }
    }

    /** [array, index, value] → the element set. */
    private void arraySet(ValType vt) {
        toBits(vt);
        if (heldAsObject(vt)) {
            call("arraySetRef", "(" + OBJ + "I" + OBJ + ")V");
        } else {
            call("arraySetBits", "(" + OBJ + "IJ)V");
        }
    }

    /** A number on the stack as its raw bits (a {@code long}); references stay. */
    /** Turns the value under an i32 on top of the stack into its bits, keeping the i32 on top (through a temp). */
    private void bitsUnderInt(ValType vt) {
        int save = fc.nextTemp;
        int top = fc.temp(ValType.I32);
        mv.visitVarInsn(JvmInsns.storeOp(ValType.I32), top);
        toBits(vt);
        mv.visitVarInsn(JvmInsns.loadOp(ValType.I32), top);
        fc.nextTemp = save;
    }

    private void toBits(ValType vt) {
        switch (vt) {
            case I32: mv.visitInsn(I2L); break;
            case F32:
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "floatToRawIntBits", "(F)I", false);
                mv.visitInsn(I2L);
                break;
            case F64:
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "doubleToRawLongBits", "(D)J", false);
                break;
            default: break;
        }
    }

    /** Raw bits back to the value, packed storage narrowed (sign- or zero-extended). */
    private void fromBits(ValType vt, int storage, boolean signed) {
        switch (vt) {
            case I32:
                mv.visitInsn(L2I);
                if (storage == DefType.I8) {
                    if (signed) {
                        mv.visitInsn(I2B);
                    } else {
                        constant(0xFF);
                        mv.visitInsn(IAND);
                    }
                } else if (storage == DefType.I16) {
                    if (signed) {
                        mv.visitInsn(I2S);
                    } else {
                        constant(0xFFFF);
                        mv.visitInsn(IAND);
                    }
                }
                break;
            case F32:
                mv.visitInsn(L2I);
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "intBitsToFloat", "(I)F", false);
                break;
            case F64:
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "longBitsToDouble", "(J)D", false);
                break;
            default: break;
        }
    }

    /** Pushes minus pops, for {@link StackHeights}. */
    static int delta(ModuleLayout layout, Instruction in) {
        switch (in.opcode()) {
            case RefOpcodes.STRUCT_NEW: return 1 - layout.module.defTypes().get(in.a()).fields().length;
            case RefOpcodes.STRUCT_NEW_DEFAULT: return 1;
            case RefOpcodes.STRUCT_SET: return -2;
            case RefOpcodes.ARRAY_NEW: case RefOpcodes.ARRAY_NEW_DATA: case RefOpcodes.ARRAY_NEW_ELEM: return -1;
            case RefOpcodes.ARRAY_NEW_FIXED: return 1 - in.b();
            case RefOpcodes.ARRAY_GET: case RefOpcodes.ARRAY_GET_S: case RefOpcodes.ARRAY_GET_U: return -1;
            case RefOpcodes.ARRAY_SET: return -3;
            case RefOpcodes.ARRAY_FILL: case RefOpcodes.ARRAY_INIT_DATA: case RefOpcodes.ARRAY_INIT_ELEM: return -4;
            case RefOpcodes.ARRAY_COPY: return -5;
            default: return 0; // struct.get, array.len, casts, conversions, i31
        }
    }
}
