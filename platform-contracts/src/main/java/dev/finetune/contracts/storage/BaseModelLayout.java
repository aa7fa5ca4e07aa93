package dev.finetune.contracts.storage;

import dev.finetune.contracts.events.Names;

/**
 * Where a base model a request names lives: {@value #TINY_RANDOM} has no files (a random start), an
 * {@code s3://bucket/prefix} is a Hugging Face folder, and a name is one registered under
 * {@code s3://models/base/<name>/}. Used by the services that fetch base models and by the CLI.
 */
public final class BaseModelLayout {

    public static final String TINY_RANDOM = "tiny-random";
    /** Where registered base models live in the {@code models} bucket. */
    public static final String PREFIX = "base/";

    private BaseModelLayout() {
    }

    /** The folder of a base model other than {@value #TINY_RANDOM}. */
    public static S3Uri prefix(String baseModel) {
        if (baseModel.startsWith("s3://")) {
            return S3Uri.parse(baseModel.endsWith("/") ? baseModel.substring(0, baseModel.length() - 1) : baseModel);
        }
        if (Names.isValid(baseModel) && !baseModel.equals(TINY_RANDOM)) {
            return new S3Uri(Buckets.MODELS, PREFIX + baseModel);
        }
        throw new IllegalArgumentException("unknown base model '" + baseModel + "': not '" + TINY_RANDOM
                + "', an s3:// prefix, or a registered name (" + Names.RULE + ")");
    }
}
