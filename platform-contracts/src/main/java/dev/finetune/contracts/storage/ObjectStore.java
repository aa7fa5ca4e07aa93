package dev.finetune.contracts.storage;

import dev.finetune.contracts.events.ArtifactRef;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.PlatformEvent;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The platform's object storage: MinIO, or any S3-compatible server, through the MinIO SDK. Every write
 * returns an {@link ArtifactRef} with the sha256 and size of what was stored, and reads by reference
 * check that sha256, so a truncated or replaced object is never used silently.
 */
public class ObjectStore {

    private static final long PART_SIZE = 16L * 1024 * 1024;

    private final MinioClient client;

    public ObjectStore(String endpoint, String accessKey, String secretKey) {
        this.client = MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).build();
    }

    /** Creates the buckets that do not exist yet. */
    public void ensureBuckets(List<String> buckets) {
        for (String bucket : buckets) {
            call("create bucket " + bucket, () -> {
                if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                }
                return null;
            });
        }
    }

    public ArtifactRef putBytes(S3Uri uri, byte[] bytes, String contentType) {
        call("write " + uri, () -> client.putObject(PutObjectArgs.builder()
                .bucket(uri.bucket()).object(uri.key()).contentType(contentType)
                .stream(new ByteArrayInputStream(bytes), (long) bytes.length, -1L).build()));
        return new ArtifactRef(uri.toString(), Digests.sha256(bytes), bytes.length);
    }

    public ArtifactRef putFile(S3Uri uri, Path file, String contentType) {
        String sha256 = Digests.sha256(file);
        long size = call("size of " + file, () -> Files.size(file));
        call("write " + uri, () -> {
            try (InputStream in = Files.newInputStream(file)) {
                return client.putObject(PutObjectArgs.builder()
                        .bucket(uri.bucket()).object(uri.key()).contentType(contentType)
                        .stream(in, size, PART_SIZE).build());
            }
        });
        return new ArtifactRef(uri.toString(), sha256, size);
    }

    /** Opens an object for streaming; the caller closes the stream. */
    public InputStream open(S3Uri uri) {
        return call("read " + uri, () -> client.getObject(GetObjectArgs.builder()
                .bucket(uri.bucket()).object(uri.key()).build()));
    }

    public byte[] readBytes(S3Uri uri) {
        try (InputStream in = open(uri)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StorageException("cannot read " + uri, e);
        }
    }

    /** Reads an artifact and checks that its bytes are the ones the reference describes. */
    public byte[] readVerified(ArtifactRef ref) {
        byte[] bytes = readBytes(S3Uri.parse(ref.uri()));
        String actual = Digests.sha256(bytes);
        if (!actual.equals(ref.sha256())) {
            throw new StorageException(ref.uri() + " has sha256 " + actual + " but its reference says " + ref.sha256());
        }
        return bytes;
    }

    /** Downloads an artifact to a file, checking its sha256 when the reference carries one. */
    public Path download(ArtifactRef ref, Path target) {
        download(S3Uri.parse(ref.uri()), target);
        String actual = Digests.sha256(target);
        if (ref.sha256() != null && !actual.equals(ref.sha256())) {
            throw new StorageException(ref.uri() + " has sha256 " + actual + " but its reference says " + ref.sha256());
        }
        return target;
    }

    public Path download(S3Uri uri, Path target) {
        try (InputStream in = open(uri)) {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new StorageException("cannot download " + uri + " to " + target, e);
        }
    }

    /** A stored event record (a manifest, a job's outcome), or empty when there is none at that address. */
    public <T extends PlatformEvent> Optional<T> findEvent(S3Uri uri, Class<T> type) {
        if (!exists(uri)) {
            return Optional.empty();
        }
        return Optional.of(EventCodec.decode(new String(readBytes(uri), StandardCharsets.UTF_8), type));
    }

    public ArtifactRef putEvent(S3Uri uri, PlatformEvent event) {
        return putBytes(uri, EventCodec.encode(event).getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public boolean exists(S3Uri uri) {
        try {
            client.statObject(StatObjectArgs.builder().bucket(uri.bucket()).object(uri.key()).build());
            return true;
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code()) || "NoSuchObject".equals(e.errorResponse().code())) {
                return false;
            }
            throw new StorageException("cannot look up " + uri + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new StorageException("cannot look up " + uri + ": " + e.getMessage(), e);
        }
    }

    /** Keys of every object under a prefix, recursively. */
    public List<String> list(String bucket, String prefix) {
        return call("list s3://" + bucket + "/" + prefix, () -> {
            List<String> keys = new ArrayList<>();
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder()
                    .bucket(bucket).prefix(prefix).recursive(true).build())) {
                keys.add(r.get().objectName());
            }
            return keys;
        });
    }

    /** Deletes one object; one that is not there is no error. */
    public void delete(S3Uri uri) {
        call("delete " + uri, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(uri.bucket()).object(uri.key()).build());
            return null;
        });
    }

    /** Deletes every object under a prefix (a folder), one by one; what is not there is no error. */
    public void deleteFolder(S3Uri prefix) {
        String base = prefix.key().endsWith("/") ? prefix.key() : prefix.key() + "/";
        for (String key : list(prefix.bucket(), base)) {
            delete(new S3Uri(prefix.bucket(), key));
        }
    }

    /** Uploads every file of a local folder under a prefix; returns the references, in path order. */
    public List<ArtifactRef> putFolder(Path folder, S3Uri prefix) {
        try (var files = Files.walk(folder)) {
            List<ArtifactRef> refs = new ArrayList<>();
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String relative = folder.relativize(file).toString().replace('\\', '/');
                refs.add(putFile(new S3Uri(prefix.bucket(), prefix.key() + "/" + relative), file,
                        "application/octet-stream"));
            }
            return refs;
        } catch (IOException e) {
            throw new StorageException("cannot upload " + folder, e);
        }
    }

    /** Downloads every object under a prefix into a local folder, keeping relative paths. */
    public Path downloadFolder(S3Uri prefix, Path folder) {
        return downloadFolder(prefix, folder, relative -> true);
    }

    /** Downloads the objects under a prefix whose path relative to it {@code wanted} accepts. */
    public Path downloadFolder(S3Uri prefix, Path folder, Predicate<String> wanted) {
        String base = prefix.key().endsWith("/") ? prefix.key() : prefix.key() + "/";
        for (String key : list(prefix.bucket(), base)) {
            String relative = key.substring(base.length());
            if (!wanted.test(relative)) {
                continue;
            }
            Path target = folder.resolve(relative).normalize();
            if (!target.startsWith(folder.normalize())) {
                throw new StorageException("object " + key + " would be written outside " + folder);
            }
            download(new S3Uri(prefix.bucket(), key), target);
        }
        return folder;
    }

    private interface StorageCall<T> {
        T run() throws Exception;
    }

    private static <T> T call(String what, StorageCall<T> call) {
        try {
            return call.run();
        } catch (StorageException e) {
            throw e;
        } catch (Exception e) {
            throw new StorageException("cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
