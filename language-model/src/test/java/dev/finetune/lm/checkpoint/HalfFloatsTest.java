package dev.finetune.lm.checkpoint;

import static dev.finetune.lm.checkpoint.HalfFloats.bfloat16ToFloat;
import static dev.finetune.lm.checkpoint.HalfFloats.floatToHalf;
import static dev.finetune.lm.checkpoint.HalfFloats.halfToFloat;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    @Test
    void decodesHalfAgainstHandComputedValues() {
        assertThat(halfToFloat(0x3C00)).isEqualTo(1.0f);
        assertThat(halfToFloat(0xC000)).isEqualTo(-2.0f);
        assertThat(halfToFloat(0x7BFF)).isEqualTo(65504.0f);
        assertThat(halfToFloat(0x3555)).isEqualTo(0.333251953125f);
        assertThat(halfToFloat(0x0400)).isEqualTo(0x1p-14f); // smallest normal
        assertThat(halfToFloat(0x0001)).isEqualTo(0x1p-24f); // smallest subnormal
        assertThat(halfToFloat(0x03FF)).isEqualTo(1023 * 0x1p-24f); // largest subnormal
        assertThat(halfToFloat(0x8001)).isEqualTo(-0x1p-24f);
        assertThat(Float.floatToRawIntBits(halfToFloat(0x0000))).isEqualTo(0);
        assertThat(Float.floatToRawIntBits(halfToFloat(0x8000))).isEqualTo(0x8000_0000); // -0.0
    }

    @Test
    void decodesHalfInfinitiesAndNan() {
        assertThat(halfToFloat(0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(halfToFloat(0xFC00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(halfToFloat(0x7E00)).isNaN();
        assertThat(halfToFloat(0x7C01)).isNaN();
        assertThat(halfToFloat(0xFE00)).isNaN();
    }

    @Test
    void decodesBfloat16() {
        assertThat(bfloat16ToFloat(0x3F80)).isEqualTo(1.0f);
        assertThat(bfloat16ToFloat(0x4049)).isEqualTo(3.140625f);
        assertThat(bfloat16ToFloat(0xC000)).isEqualTo(-2.0f);
        assertThat(bfloat16ToFloat(0x0001)).isEqualTo(Float.intBitsToFloat(0x0001_0000)); // float subnormal
        assertThat(bfloat16ToFloat(0x7F80)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(bfloat16ToFloat(0xFF80)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(bfloat16ToFloat(0x7FC0)).isNaN();
    }

    @Test
    void everyHalfSurvivesARoundTripThroughFloat() {
        for (int h = 0; h <= 0xFFFF; h++) {
            float f = halfToFloat(h);
            if (Float.isNaN(f)) {
                assertThat(halfToFloat(floatToHalf(f))).isNaN();
            } else {
                assertThat(floatToHalf(f) & 0xFFFF).as("half 0x%04X", h).isEqualTo(h);
            }
        }
    }

    @Test
    void encodesWithRoundToNearestEven() {
        assertThat(floatToHalf(1.0f + 0x1p-11f)).isEqualTo((short) 0x3C00); // tie, even stays down
        assertThat(floatToHalf(1.0f + 3 * 0x1p-11f)).isEqualTo((short) 0x3C02); // tie, odd goes up
        assertThat(floatToHalf(1.0f + 0x1p-11f + 0x1p-20f)).isEqualTo((short) 0x3C01); // above the tie
        assertThat(floatToHalf(65520f)).isEqualTo((short) 0x7C00); // rounds past the largest half: infinity
        assertThat(floatToHalf(65519f)).isEqualTo((short) 0x7BFF);
        assertThat(floatToHalf(1e10f)).isEqualTo((short) 0x7C00);
        assertThat(floatToHalf(-1e10f)).isEqualTo((short) 0xFC00);
        assertThat(floatToHalf(0x1p-25f)).isEqualTo((short) 0x0000); // half of the smallest subnormal: tie to even 0
        assertThat(floatToHalf(0x1.8p-25f)).isEqualTo((short) 0x0001);
        assertThat(floatToHalf(3 * 0x1p-25f)).isEqualTo((short) 0x0002); // 1.5 subnormal steps: tie to even 2
        assertThat(floatToHalf(1023.5f * 0x1p-24f)).isEqualTo((short) 0x0400); // carries into the smallest normal
        assertThat(floatToHalf(1e-30f)).isEqualTo((short) 0x0000);
        assertThat(floatToHalf(-1e-30f)).isEqualTo((short) 0x8000);
        assertThat(floatToHalf(Float.NaN) & 0x7C00).isEqualTo(0x7C00);
        assertThat(floatToHalf(Float.NaN) & 0x03FF).isNotZero();
    }
}
