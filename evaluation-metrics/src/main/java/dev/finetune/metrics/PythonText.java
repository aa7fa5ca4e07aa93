package dev.finetune.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's notion of whitespace, which the reference implementations rely on through
 * {@code str.split()} and {@code str.rstrip()}; Java's {@code Character.isWhitespace} differs on
 * no-break spaces and U+0085, so token counts would drift without it.
 */
final class PythonText {

    private PythonText() {
    }

    /** True for exactly the code points where Python 3's {@code str.isspace()} is true. */
    static boolean isSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0
                || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029
                || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** Python's {@code text.split()}: runs of whitespace separate, no empty strings. */
    static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            if (isSpace(cp)) {
                if (start >= 0) {
                    parts.add(text.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            parts.add(text.substring(start));
        }
        return parts;
    }

    /** Python's {@code text.rstrip()}. */
    static String rstrip(String text) {
        int end = text.length();
        while (end > 0) {
            int cp = text.codePointBefore(end);
            if (!isSpace(cp)) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return text.substring(0, end);
    }
}
