/**
 * Benchmarks. Each area has its own package ({@code file}, {@code jdbc}, {@code consumer}); every
 * benchmark measures the raw baseline it is compared to in the same run.
 */
package io.sluice.benchmarks;
