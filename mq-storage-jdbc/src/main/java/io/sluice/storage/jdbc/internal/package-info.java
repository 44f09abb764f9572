/**
 * Internal implementation of the JDBC backend: dialects, SQL statements, claim and ack logic,
 * migrations and pooling. <b>Not supported API: it may change in any release without notice.</b>
 */
package io.sluice.storage.jdbc.internal;
