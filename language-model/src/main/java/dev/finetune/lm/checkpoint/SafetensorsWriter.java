package dev.finetune.lm.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Collects named float tensors and writes them as one safetensors file.
 *
 * <p>As the reference writer does: tensors are ordered by dtype alignment descending ({@link Dtype} order, so F32
 * before F16), then by name; {@code __metadata__} comes first in the header and is left out when empty; the header is
 * padded with spaces to a multiple of 8 bytes, so every tensor's data is 8-byte aligned in the file. The file is
 * written to a temporary file in the same folder, forced to disk and moved over the target.
 *
 * <p>The arrays passed to {@code add} are kept, not copied: do not change them before {@link #write}.
 */
public final class SafetensorsWriter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK_BYTES = 1 << 20;

    private record Entry(String name, Dtype dtype, float[] values, long[] shape) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** Adds an F32 tensor. */
    public SafetensorsWriter add(String name, float[] values, long... shape) {
        return add(name, Dtype.F32, values, shape);
    }

    /**
     * Adds a tensor stored as {@code dtype}: {@link Dtype#F32}, or {@link Dtype#F16} (rounded to nearest even;
     * values beyond ±65504 become infinities). {@code values} is row-major and must hold {@code product(shape)}
     * elements.
     */
    public SafetensorsWriter add(String name, Dtype dtype, float[] values, long... shape) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("tensor name must not be empty");
        }
        if (name.equals(SafetensorsFile.METADATA_KEY)) {
            throw new IllegalArgumentException("'" + name + "' is reserved for the metadata, not a tensor name");
        }
        if (entries.containsKey(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' was already added");
        }
        if (dtype != Dtype.F32 && dtype != Dtype.F16) {
            throw new IllegalArgumentException("tensor '" + name + "': the writer stores F32 or F16, not " + dtype);
        }
        long elements = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape "
                        + Arrays.toString(shape));
            }
            elements = Math.multiplyExact(elements, d);
        }
        if (elements != values.length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " holds "
                    + elements + " elements but " + values.length + " values were given");
        }
        entries.put(name, new Entry(name, dtype, values, shape.clone()));
        return this;
    }

    /** Adds one {@code __metadata__} entry (e.g. {@code "format" -> "pt"}). */
    public SafetensorsWriter metadata(String key, String value) {
        if (key == null || value == null) {
            throw new IllegalArgumentException("metadata keys and values must not be null");
        }
        metadata.put(key, value);
        return this;
    }

    /** Adds every entry of {@code values} to {@code __metadata__}. */
    public SafetensorsWriter metadata(Map<String, String> values) {
        values.forEach(this::metadata);
        return this;
    }

    /** Tensor names in the order they will be written: dtype alignment descending, then name. */
    public List<String> orderedNames() {
        return ordered().stream().map(Entry::name).toList();
    }

    private List<Entry> ordered() {
        List<Entry> list = new ArrayList<>(entries.values());
        list.sort(Comparator.comparing(Entry::dtype, Comparator.reverseOrder()).thenComparing(Entry::name));
        return list;
    }

    /** Writes the file atomically: readers see either the old file or the complete new one. */
    public void write(Path file) throws IOException {
        List<Entry> order = ordered();
        byte[] header = header(order);
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        // not Files.createTempFile: its owner-only permissions would carry over to the checkpoint
        Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                buffer.putLong(header.length);
                writeAll(out, buffer.flip());
                writeAll(out, ByteBuffer.wrap(header));
                for (Entry entry : order) {
                    writeValues(out, buffer, entry);
                }
                out.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private byte[] header(List<Entry> order) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsFile.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Entry entry : order) {
            ObjectNode info = root.putObject(entry.name());
            info.put("dtype", entry.dtype().name());
            ArrayNode shape = info.putArray("shape");
            for (long d : entry.shape()) {
                shape.add(d);
            }
            long end = offset + (long) entry.values().length * entry.dtype().size();
            info.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }

    private static void writeValues(FileChannel out, ByteBuffer buffer, Entry entry) throws IOException {
        buffer.clear();
        for (float v : entry.values()) {
            if (buffer.remaining() < 4) {
                writeAll(out, buffer.flip());
                buffer.clear();
            }
            if (entry.dtype() == Dtype.F32) {
                buffer.putFloat(v);
            } else {
                buffer.putShort(HalfFloats.floatToHalf(v));
            }
        }
        writeAll(out, buffer.flip());
    }

    private static void writeAll(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }
}
