package io.staleguard.device.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * What a read does when a block's protection information does not match its data (a
 * {@code GUARD_TAG}, {@code REF_TAG} or {@code APP_TAG} mismatch found on the media).
 */
@API(status = EXPERIMENTAL, since = "0.2")
public enum PiMismatch {

    /**
     * The violation is recorded and the read returns the bytes as they are on the media, so that
     * the program goes on and the oracle can classify what it served (the default).
     */
    REPORT,

    /**
     * The violation is recorded and the read fails with {@code IOException("Input/output error")},
     * nothing copied to the caller, as a DIX-capable host adapter fails the I/O: the test then sees
     * how the program handles the error. A failed page-cache fill fails the buffered read the same
     * way. Current Linux kernels map the block layer's protection error ({@code BLK_STS_PROTECTION})
     * to {@code EILSEQ}, "Invalid or incomplete multibyte or wide character"; Staleguard reports the
     * more common {@code EIO} message, which is what Java storage code is written against.
     */
    FAIL_READ
}
