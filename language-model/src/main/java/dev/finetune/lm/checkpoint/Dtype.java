package dev.finetune.lm.checkpoint;

import java.util.Arrays;
import java.util.Optional;

/**
 * The element types of the safetensors format, declared in the reference implementation's order (increasing
 * alignment); the writer sorts tensors by this order, descending, then by name.
 *
 * <p>The sub-byte types of recent safetensors versions (F4, F6_*) are not supported: a file using them is rejected as
 * having an unknown dtype.
 */
public enum Dtype {
    BOOL(1),
    U8(1),
    I8(1),
    F8_E5M2(1),
    F8_E4M3(1),
    F8_E8M0(1),
    I16(2),
    U16(2),
    F16(2),
    BF16(2),
    I32(4),
    U32(4),
    F32(4),
    C64(8),
    F64(8),
    I64(8),
    U64(8);

    private final int size;

    Dtype(int size) {
        this.size = size;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** The dtype spelled exactly as in a safetensors header (e.g. {@code "F32"}), if known. */
    public static Optional<Dtype> fromHeaderName(String name) {
        return Arrays.stream(values()).filter(d -> d.name().equals(name)).findFirst();
    }
}
