package dev.finetune.lm.checkpoint;

import java.io.IOException;

/** A safetensors file, index or checkpoint folder is malformed or inconsistent; the message names the file and field. */
public class SafetensorsFormatException extends IOException {

    public SafetensorsFormatException(String message) {
        super(message);
    }

    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
