package dev.finetune.lm.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file opened for reading. {@link #open} reads and validates the whole header; tensor bytes are read on
 * demand through memory-mapped views of the file, never by loading the file into one array.
 *
 * <p>Validation follows the reference implementation (huggingface/safetensors {@code tensor.rs}): the header length
 * is at most {@value #MAX_HEADER_BYTES} bytes and lies inside the file; the header is UTF-8 JSON with no duplicate
 * keys; every dtype is known; dimensions are non-negative; each tensor's byte span equals
 * {@code product(shape) * dtype size}; sorted by offset, the spans start at 0, are contiguous (no gap, no overlap) and
 * cover the data section exactly. Every error is a {@link SafetensorsFormatException} whose message starts with the
 * file and names the tensor or field.
 *
 * <p>Not thread-safe to close while another thread reads; reads from several threads are fine.
 */
public final class SafetensorsFile implements TensorSource, AutoCloseable {

    /** The reference implementation's cap on the header length. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** The header key of the free-form string-to-string metadata. */
    public static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path file, FileChannel channel, long dataStart, Map<String, TensorInfo> tensors,
            Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /** Opens and validates {@code file}; the caller closes the result. */
    public static SafetensorsFile open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return read(file, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static SafetensorsFile read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw error(file, "file is " + fileSize + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.flip().getLong();
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw error(file, "header length " + Long.toUnsignedString(headerLength) + " exceeds the cap of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        if (8 + headerLength > fileSize) {
            throw error(file, "header length " + headerLength + " runs past the end of the file ("
                    + fileSize + " bytes)");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8);
        String header;
        try {
            header = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(headerBytes.flip())
                    .toString();
        } catch (CharacterCodingException e) {
            throw error(file, "header is not valid UTF-8", e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JsonProcessingException e) {
            throw error(file, "malformed JSON header: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw error(file, "header is not a JSON object");
        }

        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> infos = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equals(METADATA_KEY)) {
                readMetadata(file, entry.getValue(), metadata);
            } else {
                infos.add(readTensorInfo(file, entry.getKey(), entry.getValue()));
            }
        }

        long dataLength = fileSize - 8 - headerLength;
        infos.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        Map<String, TensorInfo> byOffset = new LinkedHashMap<>();
        TensorInfo previous = null;
        for (TensorInfo info : infos) {
            long expectedBegin = previous == null ? 0 : previous.end();
            if (info.begin() > expectedBegin) {
                throw error(file, "tensor '" + info.name() + "': data_offsets " + span(info) + " leave a gap: "
                        + (previous == null ? "the data starts at 0"
                                : "previous tensor '" + previous.name() + "' ends at " + previous.end())
                        + " (offsets must be contiguous)");
            }
            if (info.begin() < expectedBegin) {
                throw error(file, "tensor '" + info.name() + "': data_offsets " + span(info)
                        + " overlap tensor '" + previous.name() + "' " + span(previous));
            }
            if (info.end() > dataLength) {
                throw error(file, "tensor '" + info.name() + "': data_offsets " + span(info)
                        + " run past the end of the data (" + dataLength + " bytes)");
            }
            byOffset.put(info.name(), info);
            previous = info;
        }
        long covered = previous == null ? 0 : previous.end();
        if (covered != dataLength) {
            throw error(file, "data section is " + dataLength + " bytes but the tensors cover only " + covered
                    + " (trailing bytes are not allowed)");
        }
        return new SafetensorsFile(file, channel, 8 + headerLength, byOffset, metadata);
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> into)
            throws SafetensorsFormatException {
        if (!node.isObject()) {
            throw error(file, METADATA_KEY + " is not a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual()) {
                throw error(file, METADATA_KEY + " key '" + entry.getKey() + "': value is not a string: "
                        + entry.getValue());
            }
            into.put(entry.getKey(), entry.getValue().textValue());
        }
    }

    private static TensorInfo readTensorInfo(Path file, String name, JsonNode node)
            throws SafetensorsFormatException {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw error(file, where + ": entry is not a JSON object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw error(file, where + ": dtype is missing or not a string");
        }
        Dtype dtype = Dtype.fromHeaderName(dtypeNode.textValue()).orElseThrow(() -> error(file,
                where + ": unknown dtype '" + dtypeNode.textValue() + "' (known: " + Arrays.toString(Dtype.values())
                        + ")"));
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw error(file, where + ": shape is missing or not an array");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode dim = shapeNode.get(i);
            if (!dim.isIntegralNumber() || !dim.canConvertToLong()) {
                throw error(file, where + ": shape[" + i + "] is not an integer: " + dim);
            }
            shape[i] = dim.longValue();
            if (shape[i] < 0) {
                throw error(file, where + ": shape[" + i + "] is negative dimension " + shape[i]);
            }
        }
        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2) {
            throw error(file, where + ": data_offsets is missing or not a [begin, end] pair");
        }
        long[] beginEnd = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode offset = offsets.get(i);
            if (!offset.isIntegralNumber() || !offset.canConvertToLong() || offset.longValue() < 0) {
                throw error(file, where + ": data_offsets[" + i + "] is not a non-negative integer: " + offset);
            }
            beginEnd[i] = offset.longValue();
        }
        if (beginEnd[1] < beginEnd[0]) {
            throw error(file, where + ": data_offsets [" + beginEnd[0] + ", " + beginEnd[1]
                    + "] are not ascending (end before begin)");
        }
        TensorInfo info = new TensorInfo(name, dtype, shape, beginEnd[0], beginEnd[1]);
        long expectedBytes;
        try {
            expectedBytes = Math.multiplyExact(info.elementCount(), dtype.size());
        } catch (ArithmeticException e) {
            throw error(file, where + ": shape " + Arrays.toString(shape) + " overflows a 64-bit size");
        }
        if (info.byteLength() != expectedBytes) {
            throw error(file, where + ": data_offsets " + span(info) + " span " + info.byteLength()
                    + " bytes but shape " + Arrays.toString(shape) + " of " + dtype + " needs " + expectedBytes
                    + " (end - begin != product(shape) * dtype size)");
        }
        return info;
    }

    private static String span(TensorInfo info) {
        return "[" + info.begin() + ", " + info.end() + "]";
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + at);
            }
            at += n;
        }
    }

    static SafetensorsFormatException error(Path file, String message) {
        return new SafetensorsFormatException(file + ": " + message);
    }

    static SafetensorsFormatException error(Path file, String message, Throwable cause) {
        return new SafetensorsFormatException(file + ": " + message, cause);
    }

    /** The file this was opened from. */
    public Path path() {
        return file;
    }

    /** Tensor names in the order of their data in the file (by offset). */
    public List<String> tensorNames() {
        return List.copyOf(tensors.keySet());
    }

    /** Header entries in the order of their data in the file. */
    public List<TensorInfo> tensors() {
        return List.copyOf(tensors.values());
    }

    @Override
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** The header entry of {@code name}; {@link IllegalArgumentException} naming the file if there is none. */
    @Override
    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new IllegalArgumentException(file + ": no tensor named '" + name + "' (" + tensors.size()
                    + " tensors in the file)");
        }
        return info;
    }

    /** The {@code __metadata__} map, in header order (empty if the header has none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Byte position of the data section in the file: {@code 8 + header length}. */
    public long dataStart() {
        return dataStart;
    }

    /**
     * A read-only, little-endian view of the tensor's bytes, memory-mapped from the file (it stays valid after
     * {@link #close}). A single tensor must be under 2 GiB.
     */
    public ByteBuffer data(String name) throws IOException {
        TensorInfo info = info(name);
        if (!channel.isOpen()) {
            throw new IllegalStateException(file + " is closed");
        }
        long length = info.byteLength();
        if (length > Integer.MAX_VALUE) {
            throw new IOException(file + ": tensor '" + name + "' is " + length
                    + " bytes, more than one buffer can map (2 GiB)");
        }
        if (length == 0) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer();
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + info.begin(), length)
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The tensor's values as floats, row-major: F32 as is, F16 and BF16 widened exactly. Other dtypes are refused. */
    public float[] readFloats(String name) throws IOException {
        TensorInfo info = info(name);
        if (info.dtype() != Dtype.F32 && info.dtype() != Dtype.F16 && info.dtype() != Dtype.BF16) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' has dtype " + info.dtype()
                    + "; readFloats reads F32, F16 and BF16");
        }
        ByteBuffer bytes = data(name);
        float[] values = new float[Math.toIntExact(info.elementCount())];
        switch (info.dtype()) {
            case F32 -> bytes.asFloatBuffer().get(values);
            case F16 -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = HalfFloats.halfToFloat(bytes.getShort());
                }
            }
            default -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = HalfFloats.bfloat16ToFloat(bytes.getShort());
                }
            }
        }
        return values;
    }

    /**
     * The tensor as an NDArray of {@code manager} with the tensor's shape. F16 becomes FLOAT16; BF16 is widened to
     * FLOAT32 (DJL 0.36's PyTorch engine aborts the JVM on BFLOAT16 arrays, so none is ever created); F32, F64, I64,
     * I32, I8, U8 and BOOL keep their type. The bytes are copied into memory the array owns (never the read-only
     * mapping, which an in-place op would fault on).
     */
    @Override
    public NDArray toNDArray(String name, NDManager manager) throws IOException {
        TensorInfo info = info(name);
        Shape shape = new Shape(info.shape());
        if (info.dtype() == Dtype.BF16) {
            return manager.create(readFloats(name), shape);
        }
        DataType type = switch (info.dtype()) {
            case F32 -> DataType.FLOAT32;
            case F16 -> DataType.FLOAT16;
            case F64 -> DataType.FLOAT64;
            case I64 -> DataType.INT64;
            case I32 -> DataType.INT32;
            case I8 -> DataType.INT8;
            case U8 -> DataType.UINT8;
            case BOOL -> DataType.BOOLEAN;
            default -> throw new IllegalArgumentException(file + ": tensor '" + name + "' has dtype "
                    + info.dtype() + ", which has no NDArray conversion here");
        };
        ByteBuffer source = data(name);
        ByteBuffer owned = ByteBuffer.allocateDirect(source.remaining()).order(ByteOrder.nativeOrder());
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN || info.dtype().size() == 1) {
            owned.put(source);
        } else {
            int size = info.dtype().size();
            byte[] element = new byte[size];
            while (source.hasRemaining()) {
                source.get(element);
                for (int i = size - 1; i >= 0; i--) {
                    owned.put(element[i]);
                }
            }
        }
        owned.flip();
        return manager.create(owned, shape, type);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + file + ", " + tensors.size() + " tensors]";
    }
}
