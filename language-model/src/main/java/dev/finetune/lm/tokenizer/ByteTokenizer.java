package dev.finetune.lm.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Byte-level tokenizer: each UTF-8 byte is one token (ids 0-255), plus three special tokens.
 *
 * <p>It needs no vocabulary file, handles any text, and is lossless; it stands in until a model with its own
 * tokenizer (GPT-2 BPE, Llama SentencePiece) is loaded from its {@code tokenizer.json}.
 */
public final class ByteTokenizer implements Tokenizer {

    /** Beginning-of-sequence token id. */
    public static final int BOS = 256;
    /** End-of-sequence token id, the last target of every example. */
    public static final int EOS = 257;
    /** Padding token id; padded positions are never targets. */
    public static final int PAD = 258;

    private static final int VOCAB_SIZE = 259;
    private static final String[] SPECIAL = {"<s>", "</s>", "<pad>"};

    /** Number of token ids: 256 bytes plus BOS, EOS and PAD. */
    @Override
    public int vocabSize() {
        return VOCAB_SIZE;
    }

    /** The UTF-8 bytes of {@code text} as token ids, without special tokens. */
    @Override
    public int[] encode(String text) {
        byte[] bytes = Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xFF;
        }
        return ids;
    }

    /** {@code BOS} then the bytes of {@code text}: every sequence these models read starts with BOS. */
    @Override
    public int[] encodeWithTemplate(String text) {
        int[] bytes = encode(text);
        int[] ids = new int[bytes.length + 1];
        ids[0] = BOS;
        System.arraycopy(bytes, 0, ids, 1, bytes.length);
        return ids;
    }

    /**
     * Text of {@code ids}: bytes as UTF-8 (invalid UTF-8, e.g. a character cut by truncation, decodes to U+FFFD),
     * special tokens as {@code <s>}, {@code </s>} and {@code <pad>} unless skipped.
     */
    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        StringBuilder text = new StringBuilder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length);
        for (int id : ids) {
            if (id < 0 || id >= VOCAB_SIZE) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + VOCAB_SIZE + ")");
            }
            if (id < 256) {
                bytes.write(id);
            } else if (!skipSpecialTokens) {
                text.append(bytes.toString(StandardCharsets.UTF_8)).append(SPECIAL[id - 256]);
                bytes.reset();
            }
        }
        return text.append(bytes.toString(StandardCharsets.UTF_8)).toString();
    }

    @Override
    public SpecialTokens specialTokens() {
        return new SpecialTokens(BOS, SPECIAL[0], EOS, SPECIAL[1], PAD, SPECIAL[2]);
    }

    /** Holds nothing native. */
    @Override
    public void close() {}
}
