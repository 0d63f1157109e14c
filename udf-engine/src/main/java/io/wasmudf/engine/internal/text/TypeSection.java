package io.wasmudf.engine.internal.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The module's types: explicit definitions (recursion groups, sub types, func/struct/array),
 * type uses with their inline signatures, and the implicit function types those create, which
 * are appended after the explicit ones in the order they are met.
 */
final class TypeSection {
    private final Tokens t;
    private final TypeParser typeParser;
    private final Space typeSpace;
    private final List<TypeDef> types = new ArrayList<>();
    /** Recursion groups in order: first type index, size, and whether written as {@code (rec ...)}. */
    private final List<int[]> groups = new ArrayList<>();
    // Plain (final, no super types, alone in their group) function types by signature: the smallest index.
    private final Map<String, Integer> plainFuncTypes = new HashMap<>();

    /** A function's type index and its parameter types and names (null names where unnamed). */
    record TypeUse(int index, byte[][] params, String[] paramNames) {}

    TypeSection(Tokens t, TypeParser typeParser, Space typeSpace) {
        this.t = t;
        this.typeParser = typeParser;
        this.typeSpace = typeSpace;
    }

    /** The definition of a type index, or null if there is none (numeric references pass unchecked). */
    TypeDef get(int index) {
        return index >= 0 && index < types.size() ? types.get(index) : null;
    }

    int groupCount() {
        return groups.size();
    }

    /** Writes the type section's entries (without count). */
    void encode(ByteBuf b) {
        for (int[] g : groups) {
            if (g[2] == 1) {
                b.u8(0x4E).u32(g[1]);
            }
            for (int k = g[0]; k < g[0] + g[1]; k++) {
                types.get(k).encode(b);
            }
        }
    }

    /** Parses the {@code type} and {@code rec} fields among the module's fields. */
    void parse(List<Integer> fieldStarts) {
        for (int fieldStart : fieldStarts) {
            t.pos = fieldStart;
            if (t.atForm("type")) {
                int first = types.size();
                typeDefinition();
                types.get(first).groupStart = first;
                groups.add(new int[] {first, 1, 0});
            } else if (t.atForm("rec")) {
                t.pos += 2;
                int first = types.size();
                while (t.atForm("type")) {
                    typeDefinition();
                }
                t.close();
                for (int k = first; k < types.size(); k++) {
                    types.get(k).groupStart = first;
                    types.get(k).groupSize = types.size() - first;
                }
                groups.add(new int[] {first, types.size() - first, 1});
            }
        }
        for (int k = 0; k < types.size(); k++) {
            TypeDef d = types.get(k);
            if (d.kind == TypeDef.FUNC && d.isPlainFunc(d.params, d.results)) {
                plainFuncTypes.putIfAbsent(signatureKey(d.params, d.results), k);
            }
        }
    }

    private void typeDefinition() {
        t.openForm("type");
        t.optId();
        boolean isFinal = true;
        int[] supers = new int[0];
        boolean sub = t.atForm("sub");
        if (sub) {
            t.pos += 2;
            isFinal = t.tryKeyword("final");
            List<Integer> s = new ArrayList<>();
            while (Space.atRef(t)) {
                s.add(typeSpace.resolve(t));
            }
            supers = s.stream().mapToInt(Integer::intValue).toArray();
        }
        String head = t.formHead();
        if (head == null) {
            throw t.unexpected();
        }
        int headTok = t.pos + 1;
        t.pos += 2;
        TypeDef def;
        switch (head) {
            case "func": {
                List<byte[]> params = new ArrayList<>();
                List<byte[]> results = new ArrayList<>();
                params(params, null, true);
                results(results);
                t.close();
                def = TypeDef.func(isFinal, supers, params.toArray(new byte[0][]), results.toArray(new byte[0][]));
                break;
            }
            case "struct": {
                List<byte[]> fields = new ArrayList<>();
                Space names = new Space("field");
                while (t.atForm("field")) {
                    t.pos += 2;
                    if (t.peekId()) {
                        names.add(t.optId(), t, t.pos - 1);
                        fields.add(typeParser.fieldType());
                    } else {
                        while (t.peek() != Tokens.RPAR) {
                            names.add(null, t, t.pos);
                            fields.add(typeParser.fieldType());
                        }
                    }
                    t.close();
                }
                t.close();
                def = TypeDef.aggregate(TypeDef.STRUCT, isFinal, supers, fields.toArray(new byte[0][]), names);
                break;
            }
            case "array": {
                byte[] field = typeParser.fieldType();
                t.close();
                def = TypeDef.aggregate(TypeDef.ARRAY, isFinal, supers, new byte[][] {field}, new Space("field"));
                break;
            }
            default:
                throw t.unexpected(headTok);
        }
        if (sub) {
            t.close();
        }
        t.close();
        types.add(def);
    }

    /** {@code (param ...)*} into types (and names, if wanted). */
    void params(List<byte[]> types, List<String> names, boolean namesAllowed) {
        while (t.atForm("param")) {
            t.pos += 2;
            if (t.peekId()) {
                if (!namesAllowed) {
                    throw t.unexpected();
                }
                String id = t.optId();
                types.add(typeParser.valType());
                if (names != null) {
                    names.add(id);
                }
            } else {
                while (t.peek() != Tokens.RPAR) {
                    types.add(typeParser.valType());
                    if (names != null) {
                        names.add(null);
                    }
                }
            }
            t.close();
        }
    }

    void results(List<byte[]> types) {
        while (t.atForm("result")) {
            t.pos += 2;
            while (t.peek() != Tokens.RPAR) {
                types.add(typeParser.valType());
            }
            t.close();
        }
        if (t.atForm("param")) {
            throw t.unexpected(t.pos + 1);
        }
    }

    static String signatureKey(byte[][] params, byte[][] results) {
        StringBuilder sb = new StringBuilder();
        for (byte[] p : params) {
            for (byte b : p) {
                sb.append((char) (b & 0xFF));
            }
            sb.append(',');
        }
        sb.append("->");
        for (byte[] r : results) {
            for (byte b : r) {
                sb.append((char) (b & 0xFF));
            }
            sb.append(',');
        }
        return sb.toString();
    }

    /** The index of the plain function type [params] -> [results], added at the end if absent. */
    int implicitFuncType(byte[][] params, byte[][] results) {
        String key = signatureKey(params, results);
        Integer idx = plainFuncTypes.get(key);
        if (idx != null) {
            return idx;
        }
        TypeDef d = TypeDef.func(true, new int[0], params, results);
        d.groupStart = types.size();
        groups.add(new int[] {types.size(), 1, 0});
        types.add(d);
        plainFuncTypes.put(key, types.size() - 1);
        return types.size() - 1;
    }

    /**
     * A type use: {@code (type x)?} then {@code (param ...)* (result ...)*}. Inline parameters and
     * results must agree with an explicit type ("inline function type").
     */
    TypeUse typeUse(boolean namesAllowed) {
        int tok = t.pos;
        int explicit = -1;
        if (t.atForm("type")) {
            t.pos += 2;
            explicit = typeSpace.resolve(t);
            t.close();
        }
        List<byte[]> params = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<byte[]> results = new ArrayList<>();
        int sigTok = t.pos;
        params(params, names, namesAllowed);
        results(results);
        boolean written = t.pos != sigTok;
        byte[][] p = params.toArray(new byte[0][]);
        byte[][] r = results.toArray(new byte[0][]);
        if (explicit >= 0 || (explicit == -1 && tok != sigTok)) {
            TypeDef d = explicit >= 0 && explicit < types.size() ? types.get(explicit) : null;
            if (written) {
                if (d == null) {
                    throw t.error(tok, "unknown type");
                }
                if (d.kind != TypeDef.FUNC || !TypeDef.sameTypes(d.params, p) || !TypeDef.sameTypes(d.results, r)) {
                    throw t.error(tok, "inline function type");
                }
                return new TypeUse(explicit, p, names.toArray(new String[0]));
            }
            byte[][] dp = d != null && d.kind == TypeDef.FUNC ? d.params : new byte[0][];
            return new TypeUse(explicit, dp, new String[dp.length]);
        }
        return new TypeUse(implicitFuncType(p, r), p, names.toArray(new String[0]));
    }

}
