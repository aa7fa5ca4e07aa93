package dev.finetune.dataset.domain;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines like {@link java.io.BufferedReader#readLine()}, but keeps at most {@code maxChars} of each: the rest
 * of a longer line is skipped, not held, so one enormous line cannot exhaust memory. {@link #lastWasTooLong()}
 * says whether the line just returned was cut.
 */
final class BoundedLineReader {

    private final Reader in;
    private final int maxChars;
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int limit;
    private boolean tooLong;

    BoundedLineReader(Reader in, int maxChars) {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** The next line without its line break ({@code \n} or {@code \r\n}), or null at the end of the input. */
    String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        tooLong = false;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any ? finish(line) : null;
                }
            }
            any = true;
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int room = maxChars + 1 - line.length();  // one more, for a '\r' before the '\n'
            int take = Math.min(position - start, Math.max(0, room));
            line.append(buffer, start, take);
            tooLong |= take < position - start;
            if (position < limit) {
                position++;  // the '\n'
                return finish(line);
            }
        }
    }

    boolean lastWasTooLong() {
        return tooLong;
    }

    private String finish(StringBuilder line) {
        if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
            line.setLength(line.length() - 1);
        }
        if (line.length() > maxChars) {
            tooLong = true;
            line.setLength(maxChars);
        }
        return line.toString();
    }
}
