package dev.finetune.contracts.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class S3UriTest {

    @Test
    void parsesAndPrints() {
        S3Uri uri = S3Uri.parse("s3://models/job-1/model/manifest.json");
        assertThat(uri.bucket()).isEqualTo("models");
        assertThat(uri.key()).isEqualTo("job-1/model/manifest.json");
        assertThat(uri).hasToString("s3://models/job-1/model/manifest.json");
    }

    @Test
    void refusesAddressesWithoutBucketOrKey() {
        assertThatThrownBy(() -> S3Uri.parse("http://models/x")).hasMessageContaining("not an s3:// address");
        assertThatThrownBy(() -> S3Uri.parse("s3://models")).hasMessageContaining("needs a bucket and a key");
        assertThatThrownBy(() -> S3Uri.parse("s3://models/")).hasMessageContaining("needs a bucket and a key");
    }

    @Test
    void digestsMatchTheKnownSha256() {
        assertThat(Digests.sha256("abc".getBytes()))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
