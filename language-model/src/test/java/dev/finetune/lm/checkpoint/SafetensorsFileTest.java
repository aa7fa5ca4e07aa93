package dev.finetune.lm.checkpoint;

import static dev.finetune.lm.checkpoint.Crafted.tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

    @TempDir
    Path dir;

    /** The 16-byte I32 example from the reference implementation's doc comment, built byte by byte. */
    @Test
    void readsTheReferenceExample() throws IOException {
        String header = "{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        assertThat(header).hasSize(60);
        byte[] bytes = new byte[8 + 60 + 16];
        bytes[0] = 60; // header length, u64 little-endian: 0x3C then seven zero bytes
        byte[] json = header.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(json, 0, bytes, 8, json.length);
        int[] values = {1, -2, 300, Integer.MAX_VALUE};
        for (int i = 0; i < values.length; i++) {
            int at = 68 + 4 * i;
            bytes[at] = (byte) values[i];
            bytes[at + 1] = (byte) (values[i] >>> 8);
            bytes[at + 2] = (byte) (values[i] >>> 16);
            bytes[at + 3] = (byte) (values[i] >>> 24);
        }
        Path file = dir.resolve("example.safetensors");
        Files.write(file, bytes);

        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.tensorNames()).containsExactly("test");
            assertThat(st.metadata()).isEmpty();
            assertThat(st.dataStart()).isEqualTo(68);
            TensorInfo info = st.info("test");
            assertThat(info).isEqualTo(new TensorInfo("test", Dtype.I32, new long[] {2, 2}, 0, 16));
            assertThat(info.elementCount()).isEqualTo(4);
            ByteBuffer data = st.data("test");
            assertThat(data.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
            assertThat(data.isReadOnly()).isTrue();
            int[] read = new int[4];
            data.asIntBuffer().get(read);
            assertThat(read).containsExactly(1, -2, 300, Integer.MAX_VALUE);
        }
    }

    @Test
    void readsNamesInDataOrderMetadataAndAllDtypeSizes() throws IOException {
        String header = "{" + tensor("b", "U8", "[3]", 8, 11) + "," + tensor("a", "F64", "[1]", 0, 8) + ","
                + tensor("s", "BOOL", "[]", 11, 12) + ",\"__metadata__\":{\"format\":\"pt\",\"note\":\"x\"}}";
        Path file = Crafted.file(dir, "m.safetensors", header, 12);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.tensorNames()).containsExactly("a", "b", "s");
            assertThat(st.metadata()).containsExactly(Map.entry("format", "pt"), Map.entry("note", "x"));
            assertThat(st.info("s").shape()).isEmpty();
            assertThat(st.info("s").elementCount()).isEqualTo(1);
            assertThatThrownBy(() -> st.info("zzz")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'zzz'").hasMessageContaining(file.toString());
            assertThatThrownBy(() -> st.readFloats("b")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'b'").hasMessageContaining("U8");
        }
        assertThat(Dtype.F32.size()).isEqualTo(4);
        assertThat(Dtype.F16.size()).isEqualTo(2);
        assertThat(Dtype.BF16.size()).isEqualTo(2);
        assertThat(Dtype.F64.size()).isEqualTo(8);
        assertThat(Dtype.I64.size()).isEqualTo(8);
        assertThat(Dtype.I32.size()).isEqualTo(4);
        assertThat(Dtype.I16.size()).isEqualTo(2);
        assertThat(Dtype.I8.size()).isEqualTo(1);
        assertThat(Dtype.U8.size()).isEqualTo(1);
        assertThat(Dtype.BOOL.size()).isEqualTo(1);
    }

    @Test
    void readsF16AndBf16AsFloats() throws IOException {
        String header = "{" + tensor("h", "F16", "[2,3]", 0, 12) + "," + tensor("b", "BF16", "[3]", 12, 18) + "}";
        ByteBuffer data = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
        for (int bits : new int[] {0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x7E00}) {
            data.putShort((short) bits);
        }
        for (int bits : new int[] {0x3F80, 0x4049, 0xFF80}) {
            data.putShort((short) bits);
        }
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Path file = Crafted.file(dir, "half.safetensors", json.length, json, data.array());
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            float[] h = st.readFloats("h");
            assertThat(h).hasSize(6);
            assertThat(h[0]).isEqualTo(1.0f);
            assertThat(h[1]).isEqualTo(-2.0f);
            assertThat(h[2]).isEqualTo(65504.0f);
            assertThat(h[3]).isEqualTo(0x1p-24f);
            assertThat(h[4]).isEqualTo(Float.POSITIVE_INFINITY);
            assertThat(h[5]).isNaN();
            assertThat(st.readFloats("b")).containsExactly(1.0f, 3.140625f, Float.NEGATIVE_INFINITY);
        }
    }

    private void assertRejected(Path file, String... fragments) {
        var thrown = assertThatThrownBy(() -> SafetensorsFile.open(file).close())
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith(file.toString());
        for (String fragment : fragments) {
            thrown.hasMessageContaining(fragment);
        }
    }

    @Test
    void rejectsAHeaderLengthOverTheCap() throws IOException {
        byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
        assertRejected(Crafted.file(dir, "big.safetensors", 100_000_001L, json, new byte[0]),
                "header length 100000001", "exceeds the cap");
        assertRejected(Crafted.file(dir, "huge.safetensors", -1L, json, new byte[0]),
                "header length 18446744073709551615", "exceeds the cap");
    }

    @Test
    void rejectsAHeaderLengthPastTheEndOfTheFile() throws IOException {
        byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
        assertRejected(Crafted.file(dir, "short.safetensors", 64, json, new byte[0]),
                "header length 64", "past the end of the file (10 bytes)");
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {2, 0, 0});
        assertRejected(tiny, "too short for the 8-byte header length");
    }

    @Test
    void rejectsMalformedJson() throws IOException {
        assertRejected(Crafted.file(dir, "bad.safetensors", "{\"a\":{\"dtype\":\"F32\",", 0), "malformed JSON header");
        assertRejected(Crafted.file(dir, "trail.safetensors", "{} {}", 0), "malformed JSON header");
        assertRejected(Crafted.file(dir, "dup.safetensors",
                "{" + tensor("w", "U8", "[1]", 0, 1) + "," + tensor("w", "U8", "[1]", 1, 2) + "}", 2),
                "malformed JSON header", "Duplicate field 'w'");
        assertRejected(Crafted.file(dir, "array.safetensors", "[1,2]", 0), "not a JSON object");
    }

    @Test
    void rejectsMissingOrWrongFields() throws IOException {
        assertRejected(Crafted.file(dir, "noshape.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "tensor 'w'", "shape is missing");
        assertRejected(Crafted.file(dir, "nooffsets.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "tensor 'w'", "data_offsets is missing");
        assertRejected(Crafted.file(dir, "meta.safetensors", "{\"__metadata__\":{\"step\":3}}", 0),
                "__metadata__ key 'step'", "not a string");
    }

    @Test
    void rejectsAnUnknownDtype() throws IOException {
        assertRejected(Crafted.file(dir, "dtype.safetensors", "{" + tensor("w", "F24", "[1]", 0, 3) + "}", 3),
                "tensor 'w'", "unknown dtype 'F24'");
    }

    @Test
    void rejectsOffsetsThatAreNotAscending() throws IOException {
        assertRejected(Crafted.file(dir, "desc.safetensors", "{" + tensor("w", "U8", "[0]", 4, 0) + "}", 4),
                "tensor 'w'", "data_offsets [4, 0] are not ascending");
    }

    @Test
    void rejectsAGapBetweenTensors() throws IOException {
        String header = "{" + tensor("a", "U8", "[2]", 0, 2) + "," + tensor("b", "U8", "[2]", 4, 6) + "}";
        assertRejected(Crafted.file(dir, "gap.safetensors", header, 6),
                "tensor 'b'", "leave a gap", "'a' ends at 2");
        assertRejected(Crafted.file(dir, "gapstart.safetensors", "{" + tensor("a", "U8", "[2]", 1, 3) + "}", 3),
                "tensor 'a'", "leave a gap", "the data starts at 0");
    }

    @Test
    void rejectsOverlappingTensors() throws IOException {
        String header = "{" + tensor("a", "U8", "[4]", 0, 4) + "," + tensor("b", "U8", "[4]", 2, 6) + "}";
        assertRejected(Crafted.file(dir, "overlap.safetensors", header, 6),
                "tensor 'b'", "data_offsets [2, 6] overlap tensor 'a' [0, 4]");
    }

    @Test
    void rejectsOffsetsPastTheEndOfTheData() throws IOException {
        assertRejected(Crafted.file(dir, "past.safetensors", "{" + tensor("w", "F32", "[4]", 0, 16) + "}", 8),
                "tensor 'w'", "data_offsets [0, 16] run past the end of the data (8 bytes)");
    }

    @Test
    void rejectsBytesTheTensorsDoNotCover() throws IOException {
        assertRejected(Crafted.file(dir, "extra.safetensors", "{" + tensor("w", "F32", "[1]", 0, 4) + "}", 8),
                "data section is 8 bytes but the tensors cover only 4");
    }

    @Test
    void rejectsASizeThatDoesNotMatchShapeAndDtype() throws IOException {
        assertRejected(Crafted.file(dir, "size.safetensors", "{" + tensor("w", "F32", "[2,3]", 0, 12) + "}", 12),
                "tensor 'w'", "span 12 bytes but shape [2, 3] of F32 needs 24");
    }

    @Test
    void rejectsANegativeDimension() throws IOException {
        assertRejected(Crafted.file(dir, "neg.safetensors", "{" + tensor("w", "U8", "[2,-3]", 0, 6) + "}", 6),
                "tensor 'w'", "shape[1] is negative dimension -3");
    }

    @Test
    void rejectsAShapeWhoseSizeOverflows() throws IOException {
        String shape = "[4294967296,4294967296]";
        assertRejected(Crafted.file(dir, "overflow.safetensors", "{" + tensor("w", "F32", shape, 0, 4) + "}", 4),
                "tensor 'w'", "overflows");
    }
}
