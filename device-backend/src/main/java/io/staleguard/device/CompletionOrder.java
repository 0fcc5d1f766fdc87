package io.staleguard.device;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** In which order a device performs and completes its asynchronous operations. */
@API(status = STABLE, since = "0.1")
public enum CompletionOrder {
    /**
     * One queue: asynchronous operations take their data and complete in submission order. An
     * operation held by an interleaving hook holds back every later asynchronous operation, as
     * the head of a FIFO queue does.
     */
    FIFO,
    /**
     * Every asynchronous operation takes its data and completes after its own seeded delay, so
     * later submissions may land and complete first.
     */
    REORDERED
}
