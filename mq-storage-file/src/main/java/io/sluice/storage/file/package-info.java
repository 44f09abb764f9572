/**
 * The embedded file backend: a segmented append-log on local disk. Open a store with {@link
 * io.sluice.storage.file.FileStorage#open(FileStorageConfig)}; everything else in this module is
 * internal. See the module README for the byte format, directory layout, recovery rules and the
 * durability policies.
 */
package io.sluice.storage.file;
