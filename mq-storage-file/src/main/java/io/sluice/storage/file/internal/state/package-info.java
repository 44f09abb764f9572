/**
 * The file store's consumer-group state: cursors, leases, the state journal and its snapshots,
 * producer dedupe and processed keys. <b>Internal: not supported, may change without notice.</b>
 */
package io.sluice.storage.file.internal.state;
