/** End-to-end benchmarks of the consumer runtime: backlog drain and latency at a fixed rate. */
package io.sluice.benchmarks.consumer;
