/**
 * The file store's log: segments, sparse indexes, the batch byte format and the read path of one
 * partition. <b>Internal: not supported, may change without notice.</b>
 */
package io.sluice.storage.file.internal.log;
