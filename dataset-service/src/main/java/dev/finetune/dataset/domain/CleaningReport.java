package dev.finetune.dataset.domain;

/**
 * What validation and cleaning did to an upload, every rule's effect counted; stored as {@code report.json} next
 * to the version's manifest. Counts are records; a record changed by several normalisation rules counts under each.
 *
 * @param rejected          invalid records skipped under {@code onInvalid=skip}; 0 otherwise
 * @param tooLong           of the rejected, those over the character or token limit
 * @param unicodeNormalised accepted records whose text Unicode normalisation (NFC) changed
 * @param whitespace        accepted records whose whitespace was collapsed or trimmed
 * @param controlCharacters accepted records that had control characters removed
 * @param duplicates        exact duplicates (same normalised content and label) dropped, the first copy kept
 * @param nearDuplicates    near-duplicates (content equal up to case, punctuation and spacing, same label) dropped,
 *                          the first kept
 * @param conflictingLabels examples dropped because their text also appears with another label (every copy)
 */
public record CleaningReport(int rejected, int tooLong, int unicodeNormalised, int whitespace,
                             int controlCharacters, int duplicates, int nearDuplicates, int conflictingLabels) {

    public static CleaningReport of(ExampleParser.Report parsed, int duplicates, int nearDuplicates,
                                    int conflictingLabels) {
        return new CleaningReport(parsed.rejectedRecords(), parsed.tooLong(), parsed.unicode(), parsed.whitespace(),
                parsed.control(), duplicates, nearDuplicates, conflictingLabels);
    }
}
