package dev.finetune.dataset.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 strictly and knows the line of the first bad byte. An InputStreamReader decodes ahead in
 * large chunks, so its error surfaces before the lines preceding the bad byte are read, and the reader of
 * those lines cannot tell where it is; this reader first hands out every character before the bad byte.
 */
final class StrictUtf8Reader extends Reader {

    /** Bytes that are not UTF-8, on the given 1-based line. */
    static final class MalformedUtf8Exception extends CharacterCodingException {
        private final int line;

        MalformedUtf8Exception(int line) {
            this.line = line;
        }

        int line() {
            return line;
        }

        @Override
        public String getMessage() {
            return "not valid UTF-8 text on line " + line;
        }
    }

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(8192).flip();
    private boolean endOfInput;
    private boolean flushed;
    private int newlines;
    private MalformedUtf8Exception pending;

    StrictUtf8Reader(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(buffer, offset, length);
        boolean malformed = false;
        while (out.position() == offset && pending == null && !flushed) {
            CoderResult result = decoder.decode(bytes, out, endOfInput);
            if (result.isError()) {
                malformed = true;
                break;
            }
            if (result.isOverflow()) {
                break;
            }
            if (endOfInput) {
                decoder.flush(out);
                flushed = true;
                break;
            }
            bytes.compact();
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) {
                endOfInput = true;
            } else {
                bytes.position(bytes.position() + n);
            }
            bytes.flip();
        }
        int produced = out.position() - offset;
        for (int i = offset; i < offset + produced; i++) {
            if (buffer[i] == '\n') {
                newlines++;
            }
        }
        if (malformed) {
            pending = new MalformedUtf8Exception(newlines + 1);
        }
        if (produced > 0) {
            return produced;
        }
        if (pending != null) {
            throw pending;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
