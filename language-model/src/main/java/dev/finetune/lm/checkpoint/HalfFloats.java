package dev.finetune.lm.checkpoint;

/**
 * Conversions between float and the two 16-bit float formats (Java 17 has no {@code Float.float16ToFloat}).
 *
 * <p>IEEE 754 half (F16): 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits; exponent 0 holds zero and the
 * subnormals ({@code mantissa * 2^-24}), exponent 31 holds infinities and NaN. bfloat16 (BF16) is the upper 16 bits of
 * a float32.
 */
public final class HalfFloats {

    private HalfFloats() {}

    /** Decodes IEEE half bits (the low 16 bits of {@code bits}); exact, as every half is a float. */
    public static float halfToFloat(int bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            // infinity (mantissa 0) or NaN (payload kept in the high mantissa bits)
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // zero or subnormal; exact
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /**
     * Encodes a float as IEEE half bits, rounding to nearest, ties to even. Values too large become infinity, values
     * too small become (signed) zero or a subnormal; NaN stays NaN.
     */
    public static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7F_FFFF;
        if (exponent == 0xFF) {
            if (mantissa == 0) {
                return (short) (sign | 0x7C00);
            }
            return (short) (sign | 0x7C00 | 0x200 | (mantissa >>> 13)); // quiet NaN, high payload bits kept
        }
        if (exponent == 0) {
            return (short) sign; // float zero or float subnormal: far below the smallest half subnormal
        }
        int unbiased = exponent - 127;
        int halfExponent = unbiased + 15;
        if (halfExponent >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (halfExponent <= 0) {
            // subnormal half: value = full * 2^(unbiased - 23) = m * 2^-24, so m = full >> (-unbiased - 1)
            int shift = -unbiased - 1;
            if (shift > 24) {
                return (short) sign;
            }
            int full = mantissa | 0x80_0000;
            return (short) (sign | roundShift(full, shift));
        }
        int half = (halfExponent << 10) | (mantissa >>> 13);
        int rest = mantissa & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++; // a carry into the exponent is right, up to 0x7C00 (infinity)
        }
        return (short) (sign | half);
    }

    private static int roundShift(int value, int shift) {
        int quotient = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (quotient & 1) == 1)) {
            quotient++;
        }
        return quotient;
    }

    /** Decodes bfloat16 bits (the low 16 bits of {@code bits}): they are the upper half of a float32. */
    public static float bfloat16ToFloat(int bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }
}
