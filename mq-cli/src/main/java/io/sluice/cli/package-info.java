/**
 * The {@code sluice} command line: {@link io.sluice.cli.SluiceCli} is its entry point and {@link
 * io.sluice.cli.ExitCodes} lists what it returns. See {@code docs/cli.md}.
 */
package io.sluice.cli;
