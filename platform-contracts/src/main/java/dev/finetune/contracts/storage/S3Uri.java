package dev.finetune.contracts.storage;

/** An {@code s3://bucket/key} address. */
public record S3Uri(String bucket, String key) {

    public S3Uri {
        if (bucket == null || bucket.isBlank() || key == null || key.isBlank()) {
            throw new IllegalArgumentException("an s3 address needs a bucket and a key");
        }
    }

    public static S3Uri parse(String uri) {
        if (uri == null || !uri.startsWith("s3://")) {
            throw new IllegalArgumentException("not an s3:// address: " + uri);
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException("an s3 address needs a bucket and a key: " + uri);
        }
        return new S3Uri(rest.substring(0, slash), rest.substring(slash + 1));
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
