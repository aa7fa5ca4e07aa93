package dev.finetune.dataset.domain;

/**
 * A map from 64-bit hashes to ints in two flat arrays (open addressing, linear probing): about 24 bytes per entry
 * instead of a {@code HashMap<Long, Integer>}'s 80, so a version's per-example index stays small for uploads of
 * millions of rows.
 */
final class LongIntMap {

    private static final long EMPTY = 0L;
    /** Stands in for the key 0, which marks empty slots (a hash equal to this one would share its entry: 2^-64). */
    private static final long ZERO_KEY = 0x9E3779B97F4A7C15L;

    private long[] keys = new long[1024];
    private int[] values = new int[1024];
    private int size;

    int size() {
        return size;
    }

    /** The value of {@code key}, or {@code missing}. */
    int get(long key, int missing) {
        int slot = find(stored(key));
        return keys[slot] == EMPTY ? missing : values[slot];
    }

    boolean containsKey(long key) {
        return keys[find(stored(key))] != EMPTY;
    }

    void put(long key, int value) {
        long k = stored(key);
        int slot = find(k);
        if (keys[slot] == EMPTY) {
            keys[slot] = k;
            size++;
        }
        values[slot] = value;
        if (size * 2 > keys.length) {
            grow();
        }
    }

    private int find(long k) {
        int mask = keys.length - 1;
        int slot = (int) (k ^ (k >>> 32)) * 0x9E3779B9 & mask;
        while (keys[slot] != EMPTY && keys[slot] != k) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int slot = find(oldKeys[i]);
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }

    private static long stored(long key) {
        return key == EMPTY ? ZERO_KEY : key;
    }
}
