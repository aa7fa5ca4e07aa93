package dev.finetune.contracts.storage;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.finetune.contracts.events.EventCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the JSONL files the platform itself stored (dataset splits): one JSON object per line. */
public final class JsonLines {

    private static final TypeReference<Map<String, Object>> ROW = new TypeReference<>() {
    };

    private JsonLines() {
    }

    public static List<Map<String, Object>> read(byte[] jsonl) {
        List<Map<String, Object>> rows = new ArrayList<>();
        String[] lines = new String(jsonl, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                rows.add(EventCodec.mapper().readValue(lines[i], ROW));
            } catch (IOException e) {
                throw new StorageException("line " + (i + 1) + " of a stored JSONL file is not a JSON object", e);
            }
        }
        return rows;
    }
}
