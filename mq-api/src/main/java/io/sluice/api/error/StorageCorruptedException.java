package io.sluice.api.error;

import java.nio.file.Path;

/**
 * Stored data failed its checksum or structure check somewhere other than the torn tail that
 * recovery repairs. Names the file and byte position. Nothing was skipped silently.
 */
public final class StorageCorruptedException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long position;

  public StorageCorruptedException(Path file, long position, String problem) {
    super(
        "corrupted data in "
            + file
            + " at position "
            + position
            + ": "
            + problem
            + "; restore from a backup, or open with truncation of corrupt data enabled to cut the"
            + " log at this position (losing what follows)");
    this.file = file.toString();
    this.position = position;
  }

  public Path file() {
    return Path.of(file);
  }

  public long position() {
    return position;
  }
}
