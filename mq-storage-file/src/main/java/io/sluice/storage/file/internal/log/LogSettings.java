package io.sluice.storage.file.internal.log;

import io.sluice.storage.file.internal.io.FailStop;
import io.sluice.storage.file.internal.io.FileIo;

/**
 * What every partition log of a store shares.
 *
 * @param io the I/O seam
 * @param buffers the store's buffer pool
 * @param failStop the store's fail-stop switch
 * @param segmentBytes roll size
 * @param segmentAgeMillis roll age
 * @param indexInterval bytes between index entries
 * @param sync receipts wait for the group commit's force (readers see only forced data)
 * @param forceOnRoll force the old segment and the directory when rolling
 * @param truncateCorrupt cut at corrupt data on open instead of failing
 * @param mappedWrites the active segment takes appends through a memory mapping (OS, INTERVAL)
 */
public record LogSettings(
    FileIo io,
    BufferPool buffers,
    FailStop failStop,
    int segmentBytes,
    long segmentAgeMillis,
    int indexInterval,
    boolean sync,
    boolean forceOnRoll,
    boolean truncateCorrupt,
    boolean mappedWrites) {}
