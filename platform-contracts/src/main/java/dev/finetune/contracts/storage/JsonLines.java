package dev.finetune.contracts.storage;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.finetune.contracts.events.EventCodec;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Reads the JSONL files the platform itself stored (dataset splits): one JSON object per line. */
public final class JsonLines {

    private static final TypeReference<Map<String, Object>> ROW = new TypeReference<>() {
    };

    private JsonLines() {
    }

    public static List<Map<String, Object>> read(byte[] jsonl) {
        List<Map<String, Object>> rows = new ArrayList<>();
        readWhile(new ByteArrayInputStream(jsonl), rows::add);
        return rows;
    }

    /**
     * Reads rows one at a time from {@code in} and hands each to {@code wantsMore} until it answers false or the
     * rows end, so a caller that needs a few rows of a large split reads only those; closes {@code in}.
     */
    public static void readWhile(InputStream in, Predicate<Map<String, Object>> wantsMore) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> row;
                try {
                    row = EventCodec.mapper().readValue(line, ROW);
                } catch (IOException e) {
                    throw new StorageException("line " + number + " of a stored JSONL file is not a JSON object", e);
                }
                if (!wantsMore.test(row)) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
