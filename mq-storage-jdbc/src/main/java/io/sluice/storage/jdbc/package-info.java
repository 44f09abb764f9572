/**
 * The SQL storage backend for PostgreSQL (13+) and H2 (2.x): {@link
 * io.sluice.storage.jdbc.JdbcStorage} and the transactional outbox {@link
 * io.sluice.storage.jdbc.TransactionalSend}.
 */
package io.sluice.storage.jdbc;
