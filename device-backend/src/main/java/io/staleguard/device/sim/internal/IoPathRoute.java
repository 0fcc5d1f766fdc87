package io.staleguard.device.sim.internal;

import io.staleguard.device.IoCaller;
import io.staleguard.device.core.internal.IoOp;
import io.staleguard.device.core.internal.TransferRoute;
import io.staleguard.device.sim.IoPath;
import io.staleguard.device.sim.MediaPort;
import io.staleguard.device.sim.PathOperation;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The route of a simulated device built with an {@link IoPath}: each operation goes to the path
 * at its submission and its DMA moment; flush, force, the final check and close go to it too
 * (flush and force both write back what the path caches, as fsync does for the page cache).
 */
public final class IoPathRoute implements TransferRoute {

    private final IoPath path;
    private final MediaPort port;

    public IoPathRoute(IoPath path, MediaPort port) {
        this.path = path;
        this.port = port;
    }

    @Override
    public void submitted(IoOp op) {
        path.submitted((PathOperation) op, port);
    }

    @Override
    public boolean transfer(IoOp op) throws IOException {
        return path.transfer((PathOperation) op, port);
    }

    @Override
    public void flush() throws IOException {
        path.flush(port);
    }

    @Override
    public void force(IoCaller caller, boolean failWriteback) throws IOException {
        path.force(caller, failWriteback, port);
    }

    @Override
    public void callerOpened(IoCaller caller) {
        path.callerOpened(caller, port);
    }

    @Override
    public void callerClosed(IoCaller caller) {
        path.callerClosed(caller, port);
    }

    @Override
    public void drain() {
        try {
            path.flush(port);
        } catch (IOException e) {
            throw new UncheckedIOException("writing back the I/O path before the final check failed", e);
        }
    }

    @Override
    public void close() {
        path.close(port);
    }
}
