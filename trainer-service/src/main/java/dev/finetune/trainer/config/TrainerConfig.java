package dev.finetune.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** Settings of trainer-service, under {@code finetune.trainer}. */
@ConfigMapping(prefix = "finetune.trainer")
public interface TrainerConfig {

    /** Scratch space for downloaded splits and model folders before upload; each job gets a sub-folder. */
    @WithDefault("${java.io.tmpdir}/finetune-trainer")
    Path workDir();
}
