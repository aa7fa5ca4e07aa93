package dev.finetune.dataset.domain;

/**
 * What cleaning removed from an upload, stored as {@code report.json} next to the version's manifest.
 *
 * @param duplicates        exact duplicates (same normalised text and label) dropped, the first copy kept
 * @param nearDuplicates    near-duplicates (text equal up to case, punctuation and spacing, same label) dropped, the
 *                          first kept
 * @param conflictingLabels examples dropped because their text also appears with another label (every copy)
 * @param rejected          invalid records skipped under {@code onInvalid=skip}; 0 otherwise
 */
public record CleaningReport(int duplicates, int nearDuplicates, int conflictingLabels, int rejected) {

    public static CleaningReport of(Cleaning.Cleaned cleaned, int rejected) {
        return new CleaningReport(cleaned.duplicates(), cleaned.nearDuplicates(), cleaned.conflictingLabels(),
                rejected);
    }
}
