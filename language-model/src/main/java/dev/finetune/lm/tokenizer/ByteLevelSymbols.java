package dev.finetune.lm.tokenizer;

/**
 * GPT-2's reversible map from the 256 byte values to visible characters, which byte-level BPE tokens are spelled in.
 *
 * <p>Bytes that are visible Latin-1 characters ({@code !}..{@code ~}, {@code ¡}..{@code ¬}, {@code ®}..{@code ÿ})
 * stand for themselves; the other 68 (controls, space, no-break space, soft hyphen) are shifted to U+0100 onwards in
 * byte order, so the space is {@code Ġ} and the newline {@code Ċ}. No token then contains whitespace, and every byte
 * sequence, valid UTF-8 or not, has a spelling.
 */
final class ByteLevelSymbols {

    /** Byte values in GPT-2's vocabulary order: the self-standing ones first, then the shifted ones. */
    private static final int[] BYTES_IN_ORDER = new int[256];
    private static final char[] CHAR_OF_BYTE = new char[256];

    static {
        boolean[] standsForItself = new boolean[256];
        int next = 0;
        for (int[] range : new int[][] {{'!', '~'}, {'¡', '¬'}, {'®', 'ÿ'}}) {
            for (int b = range[0]; b <= range[1]; b++) {
                standsForItself[b] = true;
                CHAR_OF_BYTE[b] = (char) b;
                BYTES_IN_ORDER[next++] = b;
            }
        }
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            if (!standsForItself[b]) {
                CHAR_OF_BYTE[b] = (char) (256 + shifted++);
                BYTES_IN_ORDER[next++] = b;
            }
        }
    }

    private ByteLevelSymbols() {}

    /** The byte value at position {@code index} (0-255) of the vocabulary order; GPT-2 gives it id {@code index}. */
    static int byteAt(int index) {
        return BYTES_IN_ORDER[index];
    }

    /** The character that spells byte {@code b} (0-255). */
    static char charOf(int b) {
        return CHAR_OF_BYTE[b];
    }
}
