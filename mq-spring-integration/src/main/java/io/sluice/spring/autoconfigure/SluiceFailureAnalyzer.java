package io.sluice.spring.autoconfigure;

import io.sluice.api.error.StorageLockedException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup that failed because another process (often a second copy of the application)
 * holds the file store's directory.
 */
public final class SluiceFailureAnalyzer extends AbstractFailureAnalyzer<StorageLockedException> {

  /** Registered in {@code META-INF/spring.factories}. */
  public SluiceFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, StorageLockedException cause) {
    return new FailureAnalysis(
        "The Sluice file store could not be opened: its lock file "
            + cause.lockFile()
            + " is held by another process or another store in this one. One directory is served"
            + " by one process at a time.",
        "Stop the other application using that directory, or give this one its own with"
            + " sluice.storage.file.directory=<another directory>. To share messages between"
            + " several instances, use the PostgreSQL backend (sluice.storage.type=jdbc).",
        cause);
  }
}
