/** The dashboard's internals: not supported, may change in any release. */
package io.sluice.dashboard.internal;
