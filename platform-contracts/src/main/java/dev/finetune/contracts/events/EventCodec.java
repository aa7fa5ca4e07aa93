package dev.finetune.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.List;

/**
 * Turns events into JSON and back. Decoding ignores unknown fields (newer producers may add optional ones)
 * and validates the result, so a consumer either gets a valid event or an {@link InvalidEventException}
 * whose message says what is wrong.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private EventCodec() {
    }

    /** The mapper events are written with; also fine for other platform JSON (manifests, reports). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String encode(PlatformEvent event) {
        List<String> problems = event.problems();
        if (!problems.isEmpty()) {
            throw new InvalidEventException(event.getClass().getSimpleName(), problems);
        }
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + event.getClass().getSimpleName(), e);
        }
    }

    public static <T extends PlatformEvent> T decode(String json, Class<T> type) {
        String name = type.getSimpleName();
        if (json == null || json.isBlank()) {
            throw new InvalidEventException(name, "empty record value", null);
        }
        T event;
        try {
            event = MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(name, e.getOriginalMessage(), e);
        }
        if (event == null) {
            throw new InvalidEventException(name, "record value is JSON null", null);
        }
        List<String> problems = event.problems();
        if (!problems.isEmpty()) {
            throw new InvalidEventException(name, problems);
        }
        return event;
    }
}
