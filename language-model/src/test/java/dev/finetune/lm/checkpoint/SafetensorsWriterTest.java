package dev.finetune.lm.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsF32TensorsAndMetadataExactly() throws IOException {
        float[] embed = {0.1f, -0.2f, Float.MIN_VALUE, Float.MAX_VALUE, -0.0f, 1e-40f};
        float[] bias = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        float[] scalar = {42.5f};
        float[] big = new float[300_000]; // more than one 1 MB write chunk
        for (int i = 0; i < big.length; i++) {
            big[i] = i * 0.001f - 7;
        }
        Path file = dir.resolve("model.safetensors");
        new SafetensorsWriter()
                .add("wte.weight", embed, 2, 3)
                .add("h.0.bias", bias, 3)
                .add("scale", scalar)
                .add("big", big, 300, 1000)
                .metadata("format", "pt")
                .metadata(Map.of("step", "120"))
                .write(file);

        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.tensorNames()).containsExactly("big", "h.0.bias", "scale", "wte.weight");
            assertThat(st.metadata()).containsOnly(Map.entry("format", "pt"), Map.entry("step", "120"));
            assertThat(st.info("wte.weight").shape()).containsExactly(2, 3);
            assertThat(st.info("scale").shape()).isEmpty();
            assertThat(st.info("big").dtype()).isEqualTo(Dtype.F32);
            assertBitsEqual(st.readFloats("wte.weight"), embed);
            assertBitsEqual(st.readFloats("h.0.bias"), bias);
            assertBitsEqual(st.readFloats("scale"), scalar);
            assertBitsEqual(st.readFloats("big"), big);
            assertThat(st.dataStart() % 8).isZero();
        }
    }

    @Test
    void headerIsSpacePaddedToAMultipleOf8AndOrderedAsTheReference() throws IOException {
        Path file = dir.resolve("ordered.safetensors");
        SafetensorsWriter writer = new SafetensorsWriter()
                .add("zeta", Dtype.F16, new float[] {1}, 1)
                .add("beta", new float[] {1, 2}, 2)
                .add("alpha", Dtype.F16, new float[] {1, 2, 3}, 3)
                .add("gamma", new float[] {3}, 1)
                .metadata("format", "pt");
        assertThat(writer.orderedNames()).containsExactly("beta", "gamma", "alpha", "zeta");
        writer.write(file);

        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(headerLength % 8).isZero();
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertThat(header).startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"beta\":");
        assertThat(header.stripTrailing()).endsWith("}");
        assertThat(header.substring(header.stripTrailing().length())).matches(" {0,7}");
        JsonNode json = new ObjectMapper().readTree(header);
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("__metadata__", "beta", "gamma", "alpha", "zeta");
        assertThat(json.get("beta").get("data_offsets").toString()).isEqualTo("[0,8]");
        assertThat(json.get("gamma").get("data_offsets").toString()).isEqualTo("[8,12]");
        assertThat(json.get("alpha").get("data_offsets").toString()).isEqualTo("[12,18]");
        assertThat(json.get("zeta").get("data_offsets").toString()).isEqualTo("[18,20]");
        assertThat(bytes).hasSize(8 + (int) headerLength + 20);
    }

    @Test
    void matchesTheReferenceSerializationByteForByte() throws IOException {
        // tensor.rs test_serialization_forced_alignement: one F32 tensor "attn0" of shape [1,1,2,3], values 0..5
        Path file = dir.resolve("attn0.safetensors");
        new SafetensorsWriter().add("attn0", new float[] {0, 1, 2, 3, 4, 5}, 1, 1, 2, 3).write(file);
        byte[] bytes = Files.readAllBytes(file);
        String expectedHeader = "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       ";
        assertThat(bytes[0]).isEqualTo((byte) 72);
        assertThat(new String(bytes, 8, 72, StandardCharsets.UTF_8)).isEqualTo(expectedHeader);
        assertThat(Arrays.copyOfRange(bytes, 80, 88)).containsExactly(0, 0, 0, 0, 0, 0, (byte) 128, 63);
    }

    @Test
    void writesF16OnRequest() throws IOException {
        Path file = dir.resolve("half.safetensors");
        float[] values = {1.0f, -2.0f, 65504f, 0x1p-24f, 0.1f, 1e6f};
        new SafetensorsWriter().add("h", Dtype.F16, values, 3, 2).write(file);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.info("h").dtype()).isEqualTo(Dtype.F16);
            assertThat(st.info("h").byteLength()).isEqualTo(12);
            assertThat(st.readFloats("h"))
                    .containsExactly(1.0f, -2.0f, 65504f, 0x1p-24f, 0.0999755859375f, Float.POSITIVE_INFINITY);
        }
    }

    @Test
    void writesAnEmptyFileLikeTheReference() throws IOException {
        Path file = dir.resolve("empty.safetensors");
        new SafetensorsWriter().write(file);
        assertThat(Files.readAllBytes(file)).containsExactly(8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ',
                ' ', ' ');
    }

    @Test
    void replacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Files.writeString(file, "old contents");
        new SafetensorsWriter().add("w", new float[] {7}, 1).write(file);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.readFloats("w")).containsExactly(7f);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // readable by others as under a usual umask, not owner-only like Files.createTempFile
            assertThat(Files.getPosixFilePermissions(file)).contains(PosixFilePermission.OTHERS_READ);
        }
    }

    @Test
    void refusesInconsistentInput() {
        SafetensorsWriter writer = new SafetensorsWriter().add("w", new float[] {1}, 1);
        assertThatIllegalArgumentException().isThrownBy(() -> writer.add("w", new float[] {1}, 1))
                .withMessageContaining("'w' was already added");
        assertThatIllegalArgumentException().isThrownBy(() -> writer.add("x", new float[] {1, 2}, 3))
                .withMessageContaining("'x'").withMessageContaining("shape [3] holds 3 elements but 2 values");
        assertThatIllegalArgumentException().isThrownBy(() -> writer.add("y", Dtype.BF16, new float[] {1}, 1))
                .withMessageContaining("'y'").withMessageContaining("BF16");
        assertThatIllegalArgumentException().isThrownBy(() -> writer.add("__metadata__", new float[] {1}, 1))
                .withMessageContaining("reserved");
        assertThatIllegalArgumentException().isThrownBy(() -> writer.add("z", new float[0], -1))
                .withMessageContaining("negative dimension");
    }

    private static void assertBitsEqual(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Float.floatToRawIntBits(actual[i])).as("element %d", i)
                    .isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
    }
}
