package io.sluice.storage.file.internal.state;

import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Writes a snapshot's frames through a buffer of {@value #BUFFER} bytes into {@code
 * snapshot-<gen>.tmp}, so no snapshot is ever held whole in memory; {@link #commit} forces it,
 * renames it to {@code snapshot-<gen>.dat} and forces the directory: only then is it the state.
 */
public final class SnapshotWriter implements AutoCloseable {
  static final int BUFFER = 256 << 10;

  private final FileIo io;
  private final FileChannel ch;
  private final Path tmp;
  private final Path dat;
  private final Path dir;
  private ByteBuffer buf = ByteBuffer.allocate(BUFFER);
  private long written;
  private boolean committed;

  SnapshotWriter(FileIo io, FileChannel ch, Path tmp, Path dat, Path dir) {
    this.io = io;
    this.ch = ch;
    this.tmp = tmp;
    this.dat = dat;
    this.dir = dir;
  }

  /** Appends one record's frame. */
  public void add(StateRecord r) throws IOException {
    int size = StateCodec.frameSize(r);
    if (size > buf.remaining()) {
      flush();
      if (size > buf.capacity()) {
        buf = ByteBuffer.allocate(size);
      }
    }
    StateCodec.write(buf, r);
  }

  private void flush() throws IOException {
    buf.flip();
    FileIo.writeFully(ch, buf, written);
    written += buf.limit();
    buf.clear();
    if (buf.capacity() > BUFFER) {
      buf = ByteBuffer.allocate(BUFFER);
    }
  }

  /** Bytes written so far. */
  public long size() {
    return written + buf.position();
  }

  /** Writes what is buffered and forces the file (it is not the state yet). */
  public void finish() throws IOException {
    flush();
    ch.force(true);
  }

  /** Renames the finished file into place and forces the directory: the snapshot is durable. */
  public void commit() throws IOException {
    ch.close();
    io.move(tmp, dat);
    io.forceDirectory(dir);
    committed = true;
  }

  /** Closes the file; a snapshot never committed stays a {@code .tmp} file, ignored on open. */
  @Override
  public void close() throws IOException {
    if (!committed) {
      ch.close();
    }
  }
}
