/**
 * JDBC backend load harness: PostgreSQL raw-SQL ceilings and Sluice's produce and claim+ack rates,
 * measured in the same run. See {@link io.sluice.benchmarks.jdbc.JdbcLoadBench}.
 */
package io.sluice.benchmarks.jdbc;
