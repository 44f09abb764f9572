/**
 * The file store's dedupe keys on disk: producer idempotency keys and consumer processed keys in
 * time-bucketed, memory-mapped hash files that expire whole with the window, with a heap cost
 * independent of the number of keys. <b>Internal: not supported, may change without notice.</b>
 */
package io.sluice.storage.file.internal.dedupe;
