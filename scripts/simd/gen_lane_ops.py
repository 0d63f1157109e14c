#!/usr/bin/env python3
"""Generates udf-engine's lane-wise SIMD helpers (SimdIntOps.java, SimdFloatOps.java).

The regular instructions (one lane of the result from the same lane of each operand) differ only
in a lane expression; writing ~150 such methods by hand invites copy errors, so they come from the
tables below. Each v128 is two longs; a helper works on one long ("word") at a time, lane k of a
word in bits [k*S, (k+1)*S). Run from the repository root: python3 scripts/simd/gen_lane_ops.py
"""
import os

PKG = "io.wasmudf.engine.internal.runtime"
OUT = "udf-engine/src/main/java/io/wasmudf/engine/internal/runtime/"

INT_SHAPES = {8: "i8x16", 16: "i16x8", 32: "i32x4", 64: "i64x2"}
MAXS = {8: "127", 16: "32767", 32: "Integer.MAX_VALUE"}
MINS = {8: "-128", 16: "-32768", 32: "Integer.MIN_VALUE"}
MAXU = {8: "255", 16: "65535"}

def signed(S, w, k):
    sh = f"{w} >>> {k}" if k == "s" else (f"{w} >>> {S * k}" if k else w)
    return {8: f"(byte) ({sh})", 16: f"(short) ({sh})", 32: f"(int) ({sh})", 64: w}[S]

def unsigned(S, w, k):
    sh = f"{w} >>> {k}" if k == "s" else (f"{w} >>> {S * k}" if k else w)
    return {8: f"(int) ({sh}) & 0xFF", 16: f"(int) ({sh}) & 0xFFFF", 32: f"({sh}) & 0xFFFF_FFFFL", 64: w}[S]

def ltype(S):
    return "long" if S == 64 else "int"

def utype(S):
    return "long" if S >= 32 else "int"

def mask(S):
    return {8: "0xFFL", 16: "0xFFFFL", 32: "0xFFFF_FFFFL", 64: "-1L"}[S]

def cmp(e):
    return f"({e}) ? -1 : 0"

# binary integer ops: name -> (shapes, expression over a, b (signed) and ua, ub (unsigned))
def int_binary():
    ops = []
    for S in (8, 16, 32, 64):
        ops += [("add", S, "a + b"), ("sub", S, "a - b")]
    for S in (16, 32, 64):
        ops.append(("mul", S, "a * b"))
    for S in (8, 16):
        ops += [("add_sat_s", S, f"Math.max({MINS[S]}, Math.min({MAXS[S]}, a + b))"),
                ("add_sat_u", S, f"Math.min({MAXU[S]}, ua + ub)"),
                ("sub_sat_s", S, f"Math.max({MINS[S]}, Math.min({MAXS[S]}, a - b))"),
                ("sub_sat_u", S, "Math.max(0, ua - ub)"),
                ("avgr_u", S, "(ua + ub + 1) >>> 1")]
    for S in (8, 16, 32):
        ops += [("min_s", S, "Math.min(a, b)"), ("max_s", S, "Math.max(a, b)"),
                ("min_u", S, "ua < ub ? ua : ub"), ("max_u", S, "ua > ub ? ua : ub")]
        ops += [("lt_u", S, cmp("ua < ub")), ("gt_u", S, cmp("ua > ub")),
                ("le_u", S, cmp("ua <= ub")), ("ge_u", S, cmp("ua >= ub"))]
    for S in (8, 16, 32, 64):
        ops += [("eq", S, cmp("a == b")), ("ne", S, cmp("a != b")), ("lt_s", S, cmp("a < b")),
                ("gt_s", S, cmp("a > b")), ("le_s", S, cmp("a <= b")), ("ge_s", S, cmp("a >= b"))]
    ops.append(("q15mulr_sat_s", 16, "Math.max(-32768, Math.min(32767, (a * b + 0x4000) >> 15))"))
    # relaxed: the deterministic choice is the saturating instruction's result (docs/ENGINE.md)
    ops.append(("relaxed_q15mulr_s", 16, "Math.max(-32768, Math.min(32767, (a * b + 0x4000) >> 15))"))
    return ops

# Word-at-a-time (SWAR) bodies for the most used instructions: the lane expressions above say what
# they compute (and are the reference the spec suites checked first); these say it without a loop.
def _swar(s):
    low = {8: "0x7F7F_7F7F_7F7F_7F7FL", 16: "0x7FFF_7FFF_7FFF_7FFFL", 32: "0x7FFF_FFFF_7FFF_FFFFL"}[s]
    high = {8: "0x8080_8080_8080_8080L", 16: "0x8000_8000_8000_8000L", 32: "0x8000_0000_8000_0000L"}[s]
    ones = {8: "0xFFL", 16: "0xFFFFL", 32: "0xFFFF_FFFFL"}[s]
    eq = (f"long z = x ^ y; long t = ((z & {low}) + {low} | z) & {high}; "
          f"return ((t ^ {high}) >>> {s - 1}) * {ones};")
    return {
        ("add", s): f"return ((x & {low}) + (y & {low})) ^ ((x ^ y) & {high});",
        ("sub", s): f"return ((x | {high}) - (y & {low})) ^ ((x ^ ~y) & {high});",
        ("eq", s): eq,
        ("ne", s): eq.replace("return ((t ^ ", "return ~(((t ^ ", 1).replace(f"* {ones};", f"* {ones});"),
    }
SWAR = {**_swar(8), **_swar(16), **_swar(32)}

def int_unary():
    ops = []
    for S in (8, 16, 32, 64):
        ops += [("abs", S, "a < 0 ? -a : a"), ("neg", S, "-a")]
    ops.append(("popcnt", 8, "Integer.bitCount(ua)"))
    return ops

def int_shift():
    ops = []
    for S in (8, 16, 32, 64):
        n = f"n & {S - 1}"
        ops += [("shl", S, f"a << ({n})"), ("shr_s", S, f"a >> ({n})"), ("shr_u", S, f"ua >>> ({n})")]
    return ops

def lanes_decl(S, k, names, expr):
    out = []
    for v, w in names:
        if v in expr_vars(expr):
            out.append(f"{ltype(S)} {v} = {signed(S, w, k)};")
        if "u" + v in expr_vars(expr):
            out.append(f"{utype(S)} u{v} = {unsigned(S, w, k)};")
    return out

def expr_vars(expr):
    import re
    return set(re.findall(r"\b[a-z]+\b", expr))

def word_body(S, expr, names):
    L = 64 // S
    if L == 1:
        decl = lanes_decl(S, 0, names, expr)
        return decl + [f"return {expr};"]
    # a counted loop: C2 unrolls it; lane k sits at shift s = k * S
    decl = [d.replace("x >>> 0", "x >>> s").replace("y >>> 0", "y >>> s") for d in lanes_decl(S, "s", names, expr)]
    return ["long r = 0;", f"for (int s = 0; s < 64; s += {S}) {{"] + ["    " + d for d in decl] + \
        [f"    r |= ((long) ({expr}) & {mask(S)}) << s;", "}", "return r;"]

def gen_ints():
    body = []
    for name, S, expr in int_binary():
        f = f"{INT_SHAPES[S]}_{name}"
        body.append(f"    public static Object {f}(Object x, Object y) {{")
        body.append(f"        return new V128({f}(Vec.lo(x), Vec.lo(y)), {f}(Vec.hi(x), Vec.hi(y)));")
        body.append("    }")
        body.append(f"    private static long {f}(long x, long y) {{")
        if (name, S) in SWAR:
            body.append(f"        // lane by lane: {expr}")
            body.append("        " + SWAR[(name, S)])
        else:
            body += ["        " + l for l in word_body(S, expr, [("a", "x"), ("b", "y")])]
        body.append("    }")
    for name, S, expr in int_unary():
        f = f"{INT_SHAPES[S]}_{name}"
        body.append(f"    public static Object {f}(Object x) {{")
        body.append(f"        return new V128({f}(Vec.lo(x)), {f}(Vec.hi(x)));")
        body.append("    }")
        body.append(f"    private static long {f}(long x) {{")
        body += ["        " + l for l in word_body(S, expr, [("a", "x")])]
        body.append("    }")
    for name, S, expr in int_shift():
        f = f"{INT_SHAPES[S]}_{name}"
        body.append(f"    public static Object {f}(Object x, int n) {{")
        body.append(f"        return new V128({f}(Vec.lo(x), n), {f}(Vec.hi(x), n));")
        body.append("    }")
        body.append(f"    private static long {f}(long x, int n) {{")
        body += ["        " + l for l in word_body(S, expr, [("a", "x")])]
        body.append("    }")
    return body

# float ops: f32 lanes as float, f64 as double
FSHAPES = {32: "f32x4", 64: "f64x2"}

def fget(S, w, k):
    if S == 64:
        return f"Double.longBitsToDouble({w})"
    sh = f"{w} >>> 32" if k else w
    return f"Float.intBitsToFloat((int) ({sh}))"

def fbits(S, e):
    return f"Double.doubleToRawLongBits({e})" if S == 64 else f"(Float.floatToRawIntBits({e}) & 0xFFFF_FFFFL)"

def rawget(S, w, k):
    if S == 64:
        return w
    sh = f"{w} >>> 32" if k else w
    return f"(int) ({sh})"

def float_ops():
    ops = []  # (name, S, arity, expr, kind) kind: 'f' float result, 'm' mask result, 'b' raw-bits result
    for S in (32, 64):
        T = "F32" if S == 32 else "F64"
        t = "f32" if S == 32 else "f64"
        ops += [("add", S, 2, "a + b", "f"), ("sub", S, 2, "a - b", "f"), ("mul", S, 2, "a * b", "f"),
                ("div", S, 2, "a / b", "f"),
                ("min", S, 2, f"Ops.{t}Min(a, b)", "f"), ("max", S, 2, f"Ops.{t}Max(a, b)", "f"),
                ("relaxed_min", S, 2, f"Ops.{t}Min(a, b)", "f"), ("relaxed_max", S, 2, f"Ops.{t}Max(a, b)", "f"),
                ("pmin", S, 2, "b < a ? rb : ra", "b"), ("pmax", S, 2, "a < b ? rb : ra", "b"),
                ("eq", S, 2, "a == b", "m"), ("ne", S, 2, "a != b", "m"), ("lt", S, 2, "a < b", "m"),
                ("gt", S, 2, "a > b", "m"), ("le", S, 2, "a <= b", "m"), ("ge", S, 2, "a >= b", "m"),
                ("sqrt", S, 1, "Ops.f32Sqrt(a)" if S == 32 else "Math.sqrt(a)", "f"), ("ceil", S, 1, f"Ops.{t}Ceil(a)", "f"),
                ("floor", S, 1, f"Ops.{t}Floor(a)", "f"), ("trunc", S, 1, f"Ops.{t}Trunc(a)", "f"),
                ("nearest", S, 1, f"Ops.{t}Nearest(a)", "f"),
                ("relaxed_madd", S, 3, "a * b + c", "f"), ("relaxed_nmadd", S, 3, "-(a * b) + c", "f")]
    ops += [("convert_i32x4_s", 32, 1, "(float) ia", "fi"), ("convert_i32x4_u", 32, 1, "Ops.f32ConvertI32U(ia)", "fi")]
    return ops

# f32x4 arithmetic on F32Lanes' floats instead of unpacking the longs (see F32Lanes)
LANE_VIEW = ("add", "sub", "mul", "div")

def gen_floats():
    body = []
    for name, S, arity, expr, kind in float_ops():
        f = f"{FSHAPES[S]}_{name}"
        params = ", ".join(f"Object {v}" for v in "xyz"[:arity])
        if S == 32 and name in LANE_VIEW:
            # on float lanes (F32Lanes): a chain of these passes floats, not packed longs
            body.append(f"    public static Object {f}(Object x, Object y) {{")
            body.append(f"        return {f}(F32Lanes.of(x), F32Lanes.of(y));")
            body.append("    }")
            body.append(f"    private static F32Lanes {f}(F32Lanes x, F32Lanes y) {{")
            lanes = ", ".join(expr.replace("a", f"x.l{k}").replace("b", f"y.l{k}") for k in range(4))
            body.append(f"        return new F32Lanes({lanes});")
            body.append("    }")
            continue
        body.append(f"    public static Object {f}({params}) {{")
        lo = ", ".join(f"Vec.lo({v})" for v in "xyz"[:arity])
        hi = ", ".join(f"Vec.hi({v})" for v in "xyz"[:arity])
        body.append(f"        return new V128({f}({lo}), {f}({hi}));")
        body.append("    }")
        wparams = ", ".join(f"long {v}" for v in "xyz"[:arity])
        body.append(f"    private static long {f}({wparams}) {{")
        ft = "double" if S == 64 else "float"
        rt = "long" if S == 64 else "int"
        L = 64 // S
        lines = [] if L == 1 else ["long r = 0;"]
        for k in range(L):
            decl = []
            vars_ = expr_vars(expr)
            for v, w in zip("abc", "xyz"[:arity]):
                if v in vars_:
                    decl.append(f"{ft} {v} = {fget(S, w, k)};")
                if "r" + v in vars_:
                    decl.append(f"{rt} r{v} = {rawget(S, w, k)};")
                if "i" + v in vars_:
                    decl.append(f"int i{v} = {rawget(32, w, k)};")
            if kind in ("f", "fi"):
                val = fbits(S, expr)
            elif kind == "m":
                val = f"(({expr}) ? {mask(S)} : 0L)"
            else:
                val = f"(({expr}) & {mask(S)})"
            if L == 1:
                lines += decl + [f"return {val};"]
            else:
                sh = f" << {S * k}" if k else ""
                lines.append("{ " + " ".join(decl) + f" r |= {val}{sh}; }}")
        if L > 1:
            lines.append("return r;")
        body += ["        " + l for l in lines]
        body.append("    }")
    return body

HEADER = """package {pkg};

import io.wasmudf.engine.V128;

/**
 * {doc}
 * GENERATED by scripts/simd/gen_lane_ops.py from its lane-expression tables: edit the tables, not
 * this file. Called from compiled code by name (the instruction's text name, '.' as '_').
 */
public final class {cls} {{
    private {cls}() {{}}

"""

def write(cls, doc, body):
    text = HEADER.format(pkg=PKG, doc=doc, cls=cls) + "\n".join(body) + "\n}\n"
    with open(os.path.join(OUT, cls + ".java"), "w") as f:
        f.write(text)

write("SimdIntOps", "Lane-wise integer vector instructions: arithmetic, saturation, min/max, comparisons, shifts.", gen_ints())
write("SimdFloatOps", "Lane-wise float vector instructions: arithmetic (NaN results as Ops' scalar ones), comparisons,\n * pmin/pmax (an operand's bits unchanged), rounding, relaxed madd/min/max (deterministic: see docs/ENGINE.md).", gen_floats())
