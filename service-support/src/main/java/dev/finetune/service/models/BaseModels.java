package dev.finetune.service.models;

import dev.finetune.contracts.storage.BaseModelLayout;
import dev.finetune.contracts.storage.Digests;
import dev.finetune.contracts.storage.LocalFiles;
import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.contracts.storage.S3Uri;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Finds the base model a request names and makes it a local folder the engine can read.
 *
 * <p>A request names {@value #TINY_RANDOM} (no files), an {@code s3://bucket/prefix} holding a Hugging Face folder,
 * or a name registered under {@code s3://models/base/<name>/}. Folders are downloaded once into the cache folder and
 * reused by later jobs; a {@code .complete} marker, written last, tells a whole download from one a crash cut short.
 * Used by the trainer (the model to start from) and the evaluator (the baseline a fine-tune is compared with).
 */
@ApplicationScoped
public class BaseModels {

    /** Where named base models live in the models bucket. */
    public static final String PREFIX = BaseModelLayout.PREFIX;
    /** The engine's random-start model, which has no files (the language-model library's name for it). */
    public static final String TINY_RANDOM = BaseModelLayout.TINY_RANDOM;
    private static final String CONFIG_FILE = "config.json";
    private static final String MANIFEST_FILE = "manifest.json";
    private static final String COMPLETE = ".complete";

    /** Settings under {@code finetune.base-models}. */
    @ConfigMapping(prefix = "finetune.base-models")
    public interface Config {
        /** Where downloaded base models are kept between jobs. */
        @WithDefault("${java.io.tmpdir}/finetune-base-models")
        Path cacheDir();
    }

    private final ObjectStore store;
    private final Path cache;

    public BaseModels(ObjectStore store, Config config) {
        this.store = store;
        this.cache = config.cacheDir();
    }

    /**
     * A reference the engine's {@code BaseModel.resolve} accepts: the name itself for {@value #TINY_RANDOM}, else the
     * path of the local copy, whose name carries a hash of the stored model's manifest (or config): the same path
     * means the same model.
     *
     * @throws IllegalArgumentException when nothing is stored under the name or prefix, saying where it looked
     */
    public String localReference(String baseModel) {
        return localReference(baseModel, false);
    }

    /**
     * As {@link #localReference(String)}, but with only the model's JSON files (config, tokenizer, generation
     * config): enough to tokenize as the model does without fetching its weights.
     */
    public String localTokenizerReference(String baseModel) {
        return localReference(baseModel, true);
    }

    private synchronized String localReference(String baseModel, boolean jsonOnly) {
        if (baseModel.equals(TINY_RANDOM)) {
            return baseModel;
        }
        S3Uri prefix = BaseModelLayout.prefix(baseModel);
        S3Uri config = new S3Uri(prefix.bucket(), prefix.key() + "/" + CONFIG_FILE);
        if (!store.exists(config)) {
            throw new IllegalArgumentException("unknown base model '" + baseModel + "': no " + CONFIG_FILE
                    + " under " + prefix);
        }
        // the copy is named by the content it was made from: a model replaced under the same name is fetched again
        S3Uri manifest = new S3Uri(prefix.bucket(), prefix.key() + "/" + MANIFEST_FILE);
        byte[] identity = store.readBytes(store.exists(manifest) ? manifest : config);
        Path folder = cache.resolve(folderName(prefix, identity) + (jsonOnly ? "-json" : ""));
        if (!Files.isRegularFile(folder.resolve(COMPLETE))) {
            LocalFiles.deleteQuietly(folder);
            store.downloadFolder(prefix, folder, relative -> !jsonOnly || relative.endsWith(".json"));
            try {
                Files.writeString(folder.resolve(COMPLETE), prefix.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return folder.toString();
    }

    /** A readable, collision-free folder name: the prefix's last part and a hash of the prefix and the content. */
    private static String folderName(S3Uri prefix, byte[] identity) {
        MessageDigest digest = Digests.newSha256();
        digest.update(prefix.toString().getBytes(StandardCharsets.UTF_8));
        digest.update(identity);
        String last = prefix.key().substring(prefix.key().lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        return last + "-" + HexFormat.of().formatHex(digest.digest(), 0, 8);
    }
}
