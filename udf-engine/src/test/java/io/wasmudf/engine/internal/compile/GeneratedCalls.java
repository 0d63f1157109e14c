package io.wasmudf.engine.internal.compile;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/** What each method of a generated class calls, as {@code SimpleOwner.name}: for tests that check which form the compiler chose. */
final class GeneratedCalls {
    private GeneratedCalls() {}

    static Map<String, Set<String>> byMethod(byte[] classFile) {
        ClassNode generated = new ClassNode();
        new ClassReader(classFile).accept(generated, 0);
        Map<String, Set<String>> calls = new HashMap<>();
        for (MethodNode m : generated.methods) {
            Set<String> owners = new LinkedHashSet<>();
            for (AbstractInsnNode in : m.instructions) {
                if (in instanceof MethodInsnNode call) {
                    owners.add(call.owner.substring(call.owner.lastIndexOf('/') + 1) + "." + call.name);
                }
            }
            calls.put(m.name, owners);
        }
        return calls;
    }
}
