package dev.finetune.stack;

/** One server or service of the local stack: it has a name, a port, a process and can be stopped. */
public interface StackComponent extends AutoCloseable {

    String name();

    int port();

    /** The operating-system process id serving it, or -1 when not running. */
    long pid();

    /** How a client reaches it: a URL, a bootstrap address or a JDBC URL. */
    String address();

    /** Stops it; does nothing when it is not running. */
    @Override
    void close();
}
