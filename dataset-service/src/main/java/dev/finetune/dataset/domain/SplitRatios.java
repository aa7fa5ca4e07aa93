package dev.finetune.dataset.domain;

/**
 * Which share of examples goes to validation and test; the rest is training data.
 */
public record SplitRatios(double validation, double test) {

    public SplitRatios {
        if (validation <= 0 || test <= 0 || validation + test >= 1) {
            throw new IllegalArgumentException("split ratios: validation (" + validation + ") and test (" + test
                    + ") must each be above 0 and together below 1");
        }
    }

    /** The share of examples a split is meant to get. */
    public double share(Split split) {
        return switch (split) {
            case TRAIN -> 1 - validation - test;
            case VALIDATION -> validation;
            case TEST -> test;
        };
    }

    /**
     * The split of an example, from a stable hash of its normalised text: the same text always lands in the
     * same split, whatever else is in the upload, so adding data never moves an example between splits.
     */
    public Split assign(String normalisedText) {
        double position = StableHash.unitInterval(normalisedText);
        if (position < test) {
            return Split.TEST;
        }
        if (position < test + validation) {
            return Split.VALIDATION;
        }
        return Split.TRAIN;
    }
}
