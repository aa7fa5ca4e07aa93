package dev.finetune.lm.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardedCheckpointTest {

    private static final String SHARD_1 = "model-00001-of-00002.safetensors";
    private static final String SHARD_2 = "model-00002-of-00002.safetensors";

    @TempDir
    Path dir;

    private void writeShards() throws IOException {
        new SafetensorsWriter()
                .add("model.embed_tokens.weight", new float[] {1, 2, 3, 4}, 2, 2)
                .add("model.layers.0.input_layernorm.weight", new float[] {0.5f, 0.25f}, 2)
                .metadata("format", "pt")
                .write(dir.resolve(SHARD_1));
        new SafetensorsWriter()
                .add("model.layers.0.mlp.up_proj.weight", Dtype.F16, new float[] {-1, 2}, 1, 2)
                .add("lm_head.weight", new float[] {9, 8, 7, 6}, 2, 2)
                .add("not.in.index", new float[] {0}, 1)
                .metadata("format", "pt")
                .write(dir.resolve(SHARD_2));
    }

    private void writeIndex(Map<String, String> weightMap) throws IOException {
        StringBuilder json = new StringBuilder("{\"metadata\":{\"total_size\":36},\"weight_map\":{");
        weightMap.forEach((tensor, file) -> json.append('"').append(tensor).append("\":\"").append(file).append("\","));
        json.setLength(json.length() - 1);
        json.append("}}");
        Files.writeString(dir.resolve(ShardedCheckpoint.INDEX_FILE), json);
    }

    private static Map<String, String> fullWeightMap() {
        return Map.of(
                "model.embed_tokens.weight", SHARD_1,
                "model.layers.0.input_layernorm.weight", SHARD_1,
                "model.layers.0.mlp.up_proj.weight", SHARD_2,
                "lm_head.weight", SHARD_2);
    }

    @Test
    void givesOneViewOverTwoShards() throws IOException {
        writeShards();
        writeIndex(fullWeightMap());
        try (ShardedCheckpoint checkpoint = ShardedCheckpoint.open(dir)) {
            assertThat(checkpoint.isSharded()).isTrue();
            assertThat(checkpoint.indexMetadata()).containsExactly(Map.entry("total_size", "36"));
            assertThat(checkpoint.tensorNames()).containsExactlyInAnyOrderElementsOf(fullWeightMap().keySet());
            assertThat(checkpoint.shards()).hasSize(2);
            assertThat(checkpoint.fileOf("lm_head.weight").getFileName()).hasToString(SHARD_2);
            assertThat(checkpoint.fileOf("model.embed_tokens.weight").getFileName()).hasToString(SHARD_1);
            assertThat(checkpoint.readFloats("lm_head.weight")).containsExactly(9, 8, 7, 6);
            assertThat(checkpoint.readFloats("model.layers.0.mlp.up_proj.weight")).containsExactly(-1, 2);
            assertThat(checkpoint.info("model.embed_tokens.weight").shape()).containsExactly(2, 2);
            assertThat(checkpoint.contains("not.in.index")).isFalse();
        }
    }

    @Test
    void namesATensorThatIsInNoShard() throws IOException {
        writeShards();
        writeIndex(fullWeightMap());
        try (ShardedCheckpoint checkpoint = ShardedCheckpoint.open(dir)) {
            assertThatThrownBy(() -> checkpoint.readFloats("model.layers.1.mlp.up_proj.weight"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'model.layers.1.mlp.up_proj.weight' is in no shard")
                    .hasMessageContaining(dir.toString());
        }
    }

    @Test
    void namesAMissingShardFile() throws IOException {
        writeShards();
        writeIndex(fullWeightMap());
        Files.delete(dir.resolve(SHARD_2));
        assertThatThrownBy(() -> ShardedCheckpoint.open(dir))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining(ShardedCheckpoint.INDEX_FILE)
                .hasMessageContaining("shard file " + dir.toAbsolutePath().resolve(SHARD_2) + " is missing")
                .hasMessageContaining("holds 2 tensors");
    }

    @Test
    void namesAnIndexEntryItsShardDoesNotHold() throws IOException {
        writeShards();
        writeIndex(Map.of("model.embed_tokens.weight", SHARD_2));
        assertThatThrownBy(() -> ShardedCheckpoint.open(dir))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("tensor 'model.embed_tokens.weight' in " + SHARD_2)
                .hasMessageContaining("no such tensor");
    }

    @Test
    void refusesAShardOutsideTheFolder() throws IOException {
        writeShards();
        writeIndex(Map.of("lm_head.weight", "../" + SHARD_2));
        assertThatThrownBy(() -> ShardedCheckpoint.open(dir))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("'../" + SHARD_2 + "' of tensor 'lm_head.weight' is not a file name inside");
    }

    @Test
    void namesAMalformedIndex() throws IOException {
        Files.writeString(dir.resolve(ShardedCheckpoint.INDEX_FILE), "{\"weight_map\": [");
        assertThatThrownBy(() -> ShardedCheckpoint.open(dir))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining(ShardedCheckpoint.INDEX_FILE).hasMessageContaining("malformed JSON");
        Files.writeString(dir.resolve(ShardedCheckpoint.INDEX_FILE), "{\"metadata\":{}}");
        assertThatThrownBy(() -> ShardedCheckpoint.open(dir))
                .isInstanceOf(SafetensorsFormatException.class).hasMessageContaining("weight_map is missing");
    }

    @Test
    void readsASingleFileWithoutAnIndex() throws IOException {
        new SafetensorsWriter().add("b", new float[] {2}, 1).add("a", new float[] {1}, 1)
                .write(dir.resolve(ShardedCheckpoint.SINGLE_FILE));
        try (ShardedCheckpoint checkpoint = ShardedCheckpoint.open(dir)) {
            assertThat(checkpoint.isSharded()).isFalse();
            assertThat(checkpoint.tensorNames()).containsExactly("a", "b");
            assertThat(checkpoint.readFloats("b")).containsExactly(2);
            assertThat(checkpoint.indexMetadata()).isEmpty();
        }
    }

    @Test
    void namesAFolderWithNoCheckpoint() {
        assertThatThrownBy(() -> ShardedCheckpoint.open(dir))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("neither " + ShardedCheckpoint.INDEX_FILE + " nor " + ShardedCheckpoint.SINGLE_FILE);
    }
}
