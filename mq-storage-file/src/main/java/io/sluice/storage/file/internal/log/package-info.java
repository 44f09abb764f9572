/**
 * The file store's log: segments, sparse indexes, the batch byte format, group commit, the
 * directory lock and the one I/O seam. <b>Internal: not supported, may change without notice.</b>
 */
package io.sluice.storage.file.internal.log;
