package dev.finetune.contracts.storage;

/** Object storage failed or returned something other than what was stored. */
public class StorageException extends RuntimeException {

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
