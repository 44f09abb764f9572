/**
 * The kill -9 soak (not part of CI): child JVMs that produce with {@code SYNC} durability or
 * consume with manual acks are killed with SIGKILL at random moments, round after round, and a
 * checker compares what they recorded with what the store holds. See {@code docs/soak.md}.
 */
package io.sluice.benchmarks.soak;
