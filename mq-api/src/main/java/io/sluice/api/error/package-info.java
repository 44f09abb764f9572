/**
 * The exceptions Sluice throws: one unchecked root, {@link io.sluice.api.error.SluiceException},
 * and subclasses named for what happened, each carrying its context as fields.
 */
package io.sluice.api.error;
