package dev.finetune.lm.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile checkpoints: whatever a file's header says (lengths, dtypes, shapes, offsets, metadata, broken JSON),
 * opening it either gives tensors that lie inside the file, or fails with a {@link SafetensorsFormatException};
 * never another exception, and never an allocation the file cannot back.
 *
 * <p>A coverage-guided fuzz test (Jazzer). A normal build replays the inputs kept under
 * {@code src/test/resources/.../SafetensorsFuzzTestInputs/}; fuzzing runs with
 * {@code JAZZER_FUZZ=1 mvn -pl language-model test -Dtest=SafetensorsFuzzTest}. Cases found while writing it are
 * kept as plain tests below.
 */
class SafetensorsFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest(maxDuration = "60s")
    void anyFileIsReadConsistentlyOrRefusedWithAFormatError(FuzzedDataProvider data) throws IOException {
        long declared = data.consumeBoolean() ? data.consumeLong() : -1;
        byte[] header = data.consumeString(data.consumeInt(0, 400)).getBytes(StandardCharsets.UTF_8);
        byte[] rest = data.consumeRemainingAsBytes();
        check(declared < 0 ? header.length : declared, header, rest);
    }

    @Test
    void aHeaderLengthBeyondTheCapOrTheFileIsRefused() throws IOException {
        for (long length : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, SafetensorsFile.MAX_HEADER_BYTES + 1, 1 << 20}) {
            check(length, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]);
        }
    }

    @Test
    void shapesWhoseSizeOverflowsOrOffsetsOutsideTheFileAreRefused() throws IOException {
        for (String tensor : new String[] {
                Crafted.tensor("w", "F32", "[4611686018427387904,4]", 0, 16),
                Crafted.tensor("w", "F32", "[-1]", 0, 4),
                Crafted.tensor("w", "F32", "[2]", 0, 9223372036854775807L),
                Crafted.tensor("w", "F32", "[2]", -8, 0),
                Crafted.tensor("w", "XX", "[2]", 0, 8)}) {
            byte[] header = ("{" + tensor + "}").getBytes(StandardCharsets.UTF_8);
            check(header.length, header, new byte[16]);
        }
    }

    private static void check(long declaredLength, byte[] header, byte[] data) throws IOException {
        Path file = Crafted.file(dir, "fuzz.safetensors", declaredLength, header, data);
        try (SafetensorsFile opened = SafetensorsFile.open(file)) {
            long size = Files.size(file);
            for (String name : opened.tensorNames()) {
                ByteBuffer bytes = opened.data(name);
                assertThat(opened.dataStart() + bytes.remaining()).isLessThanOrEqualTo(size);
            }
        } catch (SafetensorsFormatException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
