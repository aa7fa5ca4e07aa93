package dev.finetune.registry.dashboard;

import io.quarkus.qute.TemplateExtension;
import java.util.Locale;

/** How the dashboard's templates write numbers: {@code {value.fmt}} and {@code {change.signed}}. */
@TemplateExtension
public final class Formats {

    private Formats() {
    }

    /** Four decimals, as the evaluator's report writes metrics. */
    static String fmt(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.4f", value);
    }

    /** A change, with its sign. */
    static String signed(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%+.4f", value);
    }
}
