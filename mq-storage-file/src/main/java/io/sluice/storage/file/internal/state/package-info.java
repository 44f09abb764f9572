/**
 * The file store's consumer-group state: committed offsets, done ranges, lease runs and special
 * messages ({@link io.sluice.storage.file.internal.state.PartitionCursor}), the state journal and
 * its snapshots (format in {@link io.sluice.storage.file.internal.state.StateCodec}), producer and
 * processed keys over the dedupe index, pauses. <b>Internal: not supported, may change without
 * notice.</b>
 */
package io.sluice.storage.file.internal.state;
