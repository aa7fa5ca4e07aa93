package dev.finetune.contracts.events;

import java.util.regex.Pattern;

/** The rule for user-chosen names (datasets, models, jobs) that become storage keys and Kafka keys. */
public final class Names {

    public static final String RULE =
            "must be 1-64 characters of a-z, 0-9, '-', '_' or '.', starting with a letter or digit";

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private Names() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches() && !name.contains("..");
    }
}
