package dev.finetune.dataset.domain;

import java.util.Locale;
import java.util.Optional;

/** The formats an upload can come in. */
public enum UploadFormat {
    /** One JSON object per line. */
    JSONL,
    /** RFC 4180 comma-separated values with a header row. */
    CSV;

    public static Optional<UploadFormat> parse(String name) {
        for (UploadFormat f : values()) {
            if (f.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The format a media type implies when no {@code format} parameter is given: CSV for text/csv, else JSONL. */
    public static UploadFormat fromMediaType(String mediaType) {
        return mediaType != null && mediaType.toLowerCase(Locale.ROOT).startsWith("text/csv") ? CSV : JSONL;
    }
}
