package io.wasmudf.engine.internal.text;

import java.math.BigInteger;

/**
 * Number literals of the text format: integers (decimal or hex, with {@code _} separators, signed
 * or unsigned range) and floats (decimal, hex, {@code inf}, {@code nan}, {@code nan:0x...})
 * rounded exactly to nearest-even. Methods return null / throw {@link NumberFormatException} for
 * syntax the caller then reports in the spec's words; {@link OutOfRange} for well-formed literals
 * that do not fit.
 */
final class Numbers {
    private Numbers() {}

    /** A well-formed literal whose value does not fit the type ("constant out of range"). */
    static final class OutOfRange extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutOfRange() {
            super(null, null, false, false);
        }
    }

    /** Digits with single underscores between them, in the given radix; null if malformed. */
    static String digits(String s, int from, int to, int radix) {
        if (from >= to) {
            return null;
        }
        StringBuilder sb = new StringBuilder(to - from);
        boolean prevDigit = false;
        for (int j = from; j < to; j++) {
            char c = s.charAt(j);
            if (c == '_') {
                if (!prevDigit || j + 1 >= to) {
                    return null;
                }
                prevDigit = false;
            } else if (Character.digit(c, radix) >= 0) {
                sb.append(c);
                prevDigit = true;
            } else {
                return null;
            }
        }
        return prevDigit ? sb.toString() : null;
    }

    /** An unsigned literal (u32/u64 index, offset...) as a BigInteger; null if not a nat token. */
    static BigInteger nat(String s) {
        if (s.isEmpty() || s.charAt(0) == '+' || s.charAt(0) == '-') {
            return null;
        }
        return magnitude(s, 0);
    }

    private static BigInteger magnitude(String s, int from) {
        String d;
        if (s.startsWith("0x", from)) {
            d = digits(s, from + 2, s.length(), 16);
            return d == null ? null : new BigInteger(d, 16);
        }
        d = digits(s, from, s.length(), 10);
        return d == null ? null : new BigInteger(d);
    }

    /**
     * An integer literal of {@code bits} bits: signed or unsigned range, two's complement result.
     * Null if the token is not an integer literal; {@link OutOfRange} if it does not fit.
     */
    static Long integer(String s, int bits) {
        if (s.isEmpty()) {
            return null;
        }
        boolean neg = s.charAt(0) == '-';
        int from = (neg || s.charAt(0) == '+') ? 1 : 0;
        BigInteger m = magnitude(s, from);
        if (m == null) {
            return null;
        }
        if (neg) {
            if (m.compareTo(BigInteger.ONE.shiftLeft(bits - 1)) > 0) {
                throw new OutOfRange();
            }
            return m.negate().longValue();
        }
        if (m.bitLength() > bits) {
            throw new OutOfRange();
        }
        return m.longValue();
    }

    /** f32 bits of a float literal; null if not a float literal. */
    static Integer f32(String s) {
        Long bits = parseFloat(s, 24, 8);
        return bits == null ? null : (int) (long) bits;
    }

    /** Bits of an f32 (low 32 bits) or f64 literal; null if not a float literal. */
    static Long floatBits(String s, boolean single) {
        if (single) {
            Integer f = f32(s);
            return f == null ? null : (long) f & 0xFFFFFFFFL;
        }
        return f64(s);
    }

    /** f64 bits of a float literal; null if not a float literal. */
    static Long f64(String s) {
        return parseFloat(s, 53, 11);
    }

    /** IEEE bits for precision {@code p} (with the leading bit) and exponent width {@code ew}. */
    private static Long parseFloat(String s, int p, int ew) {
        if (s.isEmpty()) {
            return null;
        }
        boolean neg = s.charAt(0) == '-';
        int from = (neg || s.charAt(0) == '+') ? 1 : 0;
        long sign = neg ? 1L << (p + ew - 1) : 0;
        long expMask = ((1L << ew) - 1) << (p - 1);
        String body = s.substring(from);
        if (body.equals("inf")) {
            return sign | expMask;
        }
        if (body.equals("nan")) {
            return sign | expMask | (1L << (p - 2));
        }
        if (body.startsWith("nan:0x")) {
            String d = digits(body, 6, body.length(), 16);
            if (d == null) {
                return null;
            }
            BigInteger payload = new BigInteger(d, 16);
            if (payload.signum() == 0 || payload.bitLength() > p - 1) {
                throw new OutOfRange();
            }
            return sign | expMask | payload.longValue();
        }
        if (body.startsWith("0x")) {
            return hexFloat(body, p, ew, sign);
        }
        return decimalFloat(body, p, ew, sign);
    }

    private static Long hexFloat(String s, int p, int ew, long sign) {
        Positional n = positional(s, 2, 16, 'p', 'P');
        return n == null ? null : round(n.mantissa(), n.exponent() - 4L * n.fractionDigits(), 0, p, ew, sign);
    }

    private static Long decimalFloat(String s, int p, int ew, long sign) {
        Positional n = positional(s, 0, 10, 'e', 'E');
        return n == null ? null : round(n.mantissa(), 0, n.exponent() - n.fractionDigits(), p, ew, sign);
    }

    /** Digits, fraction digits and exponent of {@code int ('.' frac?)? (exp sign? num)?}. */
    private record Positional(BigInteger mantissa, int fractionDigits, long exponent) {}

    private static Positional positional(String s, int from, int radix, char expLower, char expUpper) {
        int n = s.length();
        int dot = s.indexOf('.', from);
        int exp = indexOfAny(s, from, expLower, expUpper);
        int mantEnd = dot >= 0 ? dot : exp >= 0 ? exp : n;
        String ip = digits(s, from, mantEnd, radix);
        if (ip == null || (exp >= 0 && dot > exp)) {
            return null;
        }
        String fp = "";
        int fracEnd = exp >= 0 ? exp : n;
        if (dot >= 0 && fracEnd > dot + 1) {
            fp = digits(s, dot + 1, fracEnd, radix);
            if (fp == null) {
                return null;
            }
        }
        long e = 0;
        if (exp >= 0) {
            Long ev = exponent(s, exp + 1);
            if (ev == null) {
                return null;
            }
            e = ev;
        }
        return new Positional(new BigInteger(ip + fp, radix), fp.length(), e);
    }

    /** A decimal exponent with optional sign; clamped, since anything that large only over/underflows. */
    private static Long exponent(String s, int from) {
        int j = from;
        boolean neg = false;
        if (j < s.length() && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
            neg = s.charAt(j) == '-';
            j++;
        }
        String d = digits(s, j, s.length(), 10);
        if (d == null) {
            return null;
        }
        BigInteger v = new BigInteger(d);
        long e = v.bitLength() > 40 ? 1L << 40 : v.longValue();
        return neg ? -e : e;
    }

    private static int indexOfAny(String s, int from, char a, char b) {
        for (int j = from; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == a || c == b) {
                return j;
            }
        }
        return -1;
    }

    /** Rounds {@code m * 2^e2 * 10^e10} to the nearest IEEE value (ties to even). */
    private static long round(BigInteger m, long e2, long e10, int p, int ew, long sign) {
        if (m.signum() == 0) {
            return sign;
        }
        int bias = (1 << (ew - 1)) - 1;
        int emin = 1 - bias;
        int emax = bias;
        // Estimated binary magnitude: cheap guards against huge exponents before exact arithmetic.
        double mag = m.bitLength() + e2 + e10 * 3.321928094887362;
        if (mag > emax + 8) {
            throw new OutOfRange();
        }
        if (mag < emin - p - 8) {
            return sign;
        }
        BigInteger num = m;
        BigInteger den = BigInteger.ONE;
        if (e2 >= 0) {
            num = num.shiftLeft((int) e2);
        } else {
            den = den.shiftLeft((int) -e2);
        }
        if (e10 >= 0) {
            num = num.multiply(BigInteger.TEN.pow((int) e10));
        } else {
            den = den.multiply(BigInteger.TEN.pow((int) -e10));
        }
        int s = p + 3 - (num.bitLength() - den.bitLength());
        BigInteger[] qr = s >= 0 ? num.shiftLeft(s).divideAndRemainder(den) : num.divideAndRemainder(den.shiftLeft(-s));
        BigInteger q = qr[0];
        boolean sticky = qr[1].signum() != 0;
        long e = q.bitLength() - 1L - s;
        long u = Math.max(e, emin) - (p - 1);
        int shift = (int) (u + s);
        BigInteger mant;
        if (shift <= 0) {
            mant = q.shiftLeft(-shift);
        } else {
            mant = q.shiftRight(shift);
            BigInteger rest = q.subtract(mant.shiftLeft(shift));
            BigInteger half = BigInteger.ONE.shiftLeft(shift - 1);
            int cmp = rest.compareTo(half);
            if (cmp > 0 || (cmp == 0 && (sticky || mant.testBit(0)))) {
                mant = mant.add(BigInteger.ONE);
            }
        }
        if (mant.bitLength() > p) {
            mant = mant.shiftRight(1);
            u++;
        }
        long mv = mant.longValue();
        if (mant.bitLength() < p) {
            return sign | mv;
        }
        long exp = u + (p - 1);
        if (exp > emax) {
            throw new OutOfRange();
        }
        return sign | ((exp + bias) << (p - 1)) | (mv & ((1L << (p - 1)) - 1));
    }
}
