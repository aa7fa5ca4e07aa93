package dev.finetune.service.storage;

import dev.finetune.contracts.storage.ObjectStore;
import io.smallrye.config.ConfigMapping;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Object storage connection, under {@code finetune.storage}. */
@ConfigMapping(prefix = "finetune.storage")
public interface StorageConfig {

    /** S3 endpoint URL, e.g. {@code http://minio:9000}. */
    String endpoint();

    String accessKey();

    String secretKey();

    /** Makes the one {@link ObjectStore} of the application. */
    @ApplicationScoped
    class Producer {
        @Produces
        @ApplicationScoped
        ObjectStore objectStore(StorageConfig config) {
            return new ObjectStore(config.endpoint(), config.accessKey(), config.secretKey());
        }
    }
}
