package dev.finetune.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

/**
 * The keys and values of every position a model has read so far, per layer, so generation computes each new token
 * from one new position instead of the whole sequence again.
 *
 * <p>Dimensions: B batch size, nkv key/value heads, Tk cached positions, hs head size. Owns its arrays (in its own
 * manager) until {@link #close()}.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int length;

    public KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Positions cached so far: the position of the next token read. */
    public int length() {
        return length;
    }

    /**
     * Appends one layer's new keys and values, (B, nkv, T, hs), and returns all of them, (B, nkv, Tk + T, hs).
     */
    NDArray[] append(int layer, NDArray newKeys, NDArray newValues) {
        NDArray k = keys[layer] == null ? newKeys : keys[layer].concat(newKeys, 2);
        NDArray v = values[layer] == null ? newValues : values[layer].concat(newValues, 2);
        k.attach(manager);
        v.attach(manager);
        NDScope.unregister(k, v); // the cache, not the calling layer's scope, decides when they go
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = k;
        values[layer] = v;
        return new NDArray[] {k, v};
    }

    /** Records that a forward pass read {@code positions} more positions (called once, after the last layer). */
    void advance(int positions) {
        length += positions;
    }

    @Override
    public void close() {
        manager.close();
    }
}
