package dev.finetune.lm.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.finetune.lm.model.DjlRuntime;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading tensors into PyTorch-engine NDArrays. No BFLOAT16 array is ever created (it aborts the JVM). */
class SafetensorsNDArrayTest {

    @TempDir
    Path dir;

    private NDManager manager;

    @BeforeEach
    void engine() {
        DjlRuntime.engine();
        manager = NDManager.newBaseManager(DjlRuntime.ENGINE_NAME);
    }

    @AfterEach
    void release() {
        manager.close();
    }

    @Test
    void loadsF32AndF16WithShapeAndValues() throws IOException {
        Path file = dir.resolve("w.safetensors");
        float[] values = {1, -2, 0.5f, 3.25f, 65504f, -0.125f};
        new SafetensorsWriter().add("f32", values, 2, 3).add("f16", Dtype.F16, values, 3, 1, 2).write(file);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            NDArray f32 = st.toNDArray("f32", manager);
            assertThat(f32.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(f32.getShape()).isEqualTo(new Shape(2, 3));
            assertThat(f32.toFloatArray()).containsExactly(values);

            NDArray f16 = st.toNDArray("f16", manager);
            assertThat(f16.getDataType()).isEqualTo(DataType.FLOAT16);
            assertThat(f16.getShape()).isEqualTo(new Shape(3, 1, 2));
            assertThat(f16.toType(DataType.FLOAT32, false).toFloatArray()).containsExactly(values);
            // the array owns its memory: an in-place op must not touch the read-only file mapping
            f32.addi(1);
            assertThat(f32.toFloatArray()[0]).isEqualTo(2f);
            assertThat(st.readFloats("f32")[0]).isEqualTo(1f);
        }
    }

    @Test
    void widensBf16ToFloat32AndKeepsIntegerTypes() throws IOException {
        String header = "{" + Crafted.tensor("b", "BF16", "[2]", 0, 4) + "," + Crafted.tensor("i", "I32", "[2,2]", 4, 20)
                + "}";
        ByteBuffer data = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 0x3F80).putShort((short) 0x4049).putInt(1).putInt(-2).putInt(3).putInt(4);
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Path file = Crafted.file(dir, "mixed.safetensors", json.length, json, data.array());
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            NDArray b = st.toNDArray("b", manager);
            assertThat(b.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(b.toFloatArray()).containsExactly(1.0f, 3.140625f);
            NDArray i = st.toNDArray("i", manager);
            assertThat(i.getDataType()).isEqualTo(DataType.INT32);
            assertThat(i.getShape()).isEqualTo(new Shape(2, 2));
            assertThat(i.toIntArray()).containsExactly(1, -2, 3, 4);
        }
    }
}
