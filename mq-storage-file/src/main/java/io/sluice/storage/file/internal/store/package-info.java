/**
 * The file store assembled: the directory and its topics ({@code StoreFiles}), the append path
 * (planning, producer dedupe, writing, waiting for the group commit) and retention. It uses the
 * log, the group state and the I/O layer; nothing below it uses it. <b>Internal: not supported, may
 * change without notice.</b>
 */
package io.sluice.storage.file.internal.store;
