package io.staleguard.junit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The devices of one scope: a test class (static fields, {@code @BeforeAll}) or one test. Kept in the
 * extension context's store, so JUnit closes it when the scope ends, also after failures.
 */
final class DeviceScope implements ExtensionContext.Store.CloseableResource {

    private final DeviceScope parent;
    private final long seed;
    private final Map<String, Entry> devices = new LinkedHashMap<>();

    /**
     * An entry: the device, the spec it was made from and the point that declared it first.
     *
     * @param first  the first declaring point
     * @param spec   the spec
     * @param device the device
     */
    record Entry(InjectionPoint first, DeviceSpec spec, ManagedDevice device) {
    }

    DeviceScope(DeviceScope parent, long seed) {
        this.parent = parent;
        this.seed = seed;
    }

    long seed() {
        return seed;
    }

    DeviceScope parent() {
        return parent;
    }

    /** The entry for a device key here, or for a named key in the parent scope. */
    synchronized Entry find(String key) {
        Entry e = devices.get(key);
        if (e == null && parent != null && key.startsWith("name:")) {
            return parent.find(key);
        }
        return e;
    }

    synchronized void put(String key, Entry entry) {
        devices.put(key, entry);
    }

    /** The devices of this scope only, in creation order. */
    synchronized List<ManagedDevice> devices() {
        List<ManagedDevice> out = new ArrayList<>();
        devices.values().forEach(e -> out.add(e.device()));
        return out;
    }

    synchronized Map<String, Entry> entries() {
        return new LinkedHashMap<>(devices);
    }

    /** Closes every device, newest first; the first failure is thrown after all were tried. */
    @Override
    public void close() throws Exception {
        List<ManagedDevice> newestFirst = new ArrayList<>();
        synchronized (this) {
            devices.values().forEach(e -> newestFirst.add(0, e.device()));
            devices.clear();
        }
        Closing.closeAll(newestFirst);
    }
}
