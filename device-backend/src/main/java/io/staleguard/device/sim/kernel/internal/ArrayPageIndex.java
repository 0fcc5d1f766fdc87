package io.staleguard.device.sim.kernel.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * The {@link PageIndex} for one thread at a time: a plain array of at most
 * {@value PageIndex#DENSE_LIMIT} slots, or a hash map for a larger index.
 *
 * @param <T> what each slot holds
 */
final class ArrayPageIndex<T> implements PageIndex<T> {

    private final long length;
    private final Object[] slots;
    private final HashMap<Long, T> sparse;
    private int size;

    ArrayPageIndex(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, was " + length);
        }
        this.length = length;
        this.slots = length <= DENSE_LIMIT ? new Object[(int) length] : null;
        this.sparse = slots == null ? new HashMap<>() : null;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get(long i) {
        Object[] s = slots;
        return s != null ? (T) s[(int) i] : sparse.get(i);
    }

    @Override
    public T putIfAbsent(long i, T v) {
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException("page " + i + " outside [0, " + length + ")");
        }
        T old = get(i);
        if (old != null) {
            return old;
        }
        if (slots == null) {
            sparse.put(i, v);
        } else {
            slots[(int) i] = v;
        }
        size++;
        return null;
    }

    @Override
    public boolean remove(long i, T v) {
        T old = get(i);
        if (old == null || old != v) {
            return false;
        }
        remove(i);
        return true;
    }

    @Override
    public T remove(long i) {
        T old = get(i);
        if (old == null) {
            return null;
        }
        if (slots == null) {
            sparse.remove(i);
        } else {
            slots[(int) i] = null;
        }
        size--;
        return old;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<T> values() {
        if (slots == null) {
            return new ArrayList<>(sparse.values());
        }
        List<T> out = new ArrayList<>(size);
        for (Object o : slots) {
            if (o != null) {
                out.add((T) o);
            }
        }
        return out;
    }

    @Override
    public void clear() {
        if (slots == null) {
            sparse.clear();
        } else {
            Arrays.fill(slots, null);
        }
        size = 0;
    }
}
