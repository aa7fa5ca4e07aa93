package dev.finetune.metrics;

import java.util.regex.Pattern;

/**
 * The "13a" tokenizer of sacreBLEU (the mteval-v13a.pl rules WMT uses): unescapes a few HTML
 * entities, splits off punctuation and symbols, and keeps periods and commas inside numbers.
 *
 * <p>The four regular expressions and their order follow sacreBLEU's {@code TokenizerRegexp};
 * whitespace is Python's {@code str.split()} whitespace so that token counts agree with sacreBLEU on
 * non-ASCII spaces too.
 */
public final class Tokenizer13a {

    /** Symbols split off everywhere: { | } ~ [ \ ] ^ _ ` space ! " # $ % & ( ) * + : ; < = > ? @ / */
    private static final Pattern SYMBOL = Pattern.compile("([\\x7B-\\x7E\\x5B-\\x60\\x20-\\x26\\x28-\\x2B\\x3A-\\x40/])");
    /** A period or comma is split off unless a digit precedes it... */
    private static final Pattern PERIOD_COMMA_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([.,])");
    /** ...or unless a digit follows it. */
    private static final Pattern PERIOD_COMMA_BEFORE_NON_DIGIT = Pattern.compile("([.,])([^0-9])");
    /** A dash after a digit is split off ("5-6" becomes "5 - 6"). */
    private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

    private Tokenizer13a() {
    }

    /** Tokenizes one segment and returns the tokens joined by single spaces (sacreBLEU's output form). */
    public static String tokenize(String line) {
        String text = line.replace("<skipped>", "")
                .replace("-\n", "")
                .replace("\n", " ")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">");
        text = " " + text + " ";
        text = SYMBOL.matcher(text).replaceAll(" $1 ");
        text = PERIOD_COMMA_AFTER_NON_DIGIT.matcher(text).replaceAll("$1 $2 ");
        text = PERIOD_COMMA_BEFORE_NON_DIGIT.matcher(text).replaceAll(" $1 $2");
        text = DASH_AFTER_DIGIT.matcher(text).replaceAll("$1 $2 ");
        return String.join(" ", PythonText.split(text));
    }
}
