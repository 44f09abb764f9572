/**
 * The file store's I/O layer: the one I/O seam every file operation goes through ({@code FileIo}),
 * the directory lock, the fail-stop switch and the group committer that forces files for many
 * senders at once. It knows nothing of segments or group state. <b>Internal: not supported, may
 * change without notice.</b>
 */
package io.sluice.storage.file.internal.io;
