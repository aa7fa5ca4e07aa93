package dev.finetune.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Small helpers about local TCP ports. */
public final class Ports {

    private Ports() {
    }

    /** A port that was free a moment ago (the operating system picked it). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }

    /** Whether something accepts connections on localhost:port. */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a server could bind localhost:port now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Fails with a clear message when a port the stack needs is taken by something else. */
    public static void requireFree(int port, String what) {
        if (!isFree(port)) {
            throw new StackException("port " + port + " for " + what + " is already in use (another stack running? "
                    + "try `finetune status`, `finetune down`, or choose another port)");
        }
    }

    /** Waits until a port stops accepting connections; returns whether it did within the timeout. */
    public static boolean awaitClosed(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isListening(port)) {
                return true;
            }
            sleep(Duration.ofMillis(100));
        }
        return !isListening(port);
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }
}
