/** Load harness for the file store, with its raw baselines measured in the same run. */
package io.sluice.benchmarks.file;
