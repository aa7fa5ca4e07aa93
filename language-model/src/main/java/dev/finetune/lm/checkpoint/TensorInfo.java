package dev.finetune.lm.checkpoint;

import java.util.Arrays;

/**
 * One tensor's header entry.
 *
 * @param name  the tensor's name
 * @param dtype element type
 * @param shape dimensions, row-major (empty for a scalar); a copy is kept and returned
 * @param begin start of the tensor's bytes, relative to the start of the data section
 * @param end   end (exclusive) of the tensor's bytes, relative to the start of the data section
 */
public record TensorInfo(String name, Dtype dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements: the product of the dimensions (1 for a scalar). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** {@code end - begin}. */
    public long byteLength() {
        return end - begin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + dtype.hashCode()) + Arrays.hashCode(shape) + Long.hashCode(begin);
    }

    @Override
    public String toString() {
        return name + "{" + dtype + " " + Arrays.toString(shape) + " [" + begin + ", " + end + ")}";
    }
}
