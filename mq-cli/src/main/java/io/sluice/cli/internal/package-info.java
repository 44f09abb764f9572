/** The commands of the {@code sluice} command line. Not supported API: may change at any time. */
package io.sluice.cli.internal;
