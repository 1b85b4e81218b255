package dev.dobj.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One server's claim on its data directory: an exclusive lock on {@code <data>/dobj.lock}, held
 * until {@link #close()}, with the holder's process id in the file for the error message of the
 * next one.
 *
 * <p>Why: the runtime assumes it is the only host of each object (one instance per id, values
 * cached between turns), so two servers on one data directory would lose updates even though SQLite
 * keeps each file consistent. The lock is the operating system's, released when the process ends in
 * any way (also {@code kill -9}), so a file left behind never blocks a start; for the same reason
 * {@link #close()} leaves the file in place (deleting it would race with a server starting).
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
final class DataDirectoryLock implements AutoCloseable {
  /** The lock file's name inside the data directory. */
  static final String FILE_NAME = "dobj.lock";

  private final FileChannel channel;

  private DataDirectoryLock(FileChannel channel) {
    this.channel = channel;
  }

  /**
   * Creates {@code dataDir} if missing and locks it.
   *
   * @throws CliException (exit code 1) if the directory cannot be created or is locked by another
   *     server, in this process or another
   */
  static DataDirectoryLock acquire(Path dataDir) throws CliException {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new CliException(
          CliException.FAILED,
          "cannot create the data directory "
              + dataDir
              + " ("
              + describe(e)
              + "); choose another with --data or [dobj] data_dir");
    }
    Path file = dataDir.resolve(FILE_NAME);
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new CliException(
          CliException.FAILED,
          "cannot open the lock file "
              + file
              + " ("
              + describe(e)
              + "); is the data directory"
              + " writable? Choose another with --data or [dobj] data_dir");
    }
    try {
      FileLock lock = tryLock(channel);
      if (lock == null) {
        throw inUse(dataDir, file);
      }
      byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(pid), 0);
      return new DataDirectoryLock(channel);
    } catch (IOException e) {
      closeAfterFailure(channel, e);
      throw new CliException(CliException.FAILED, "cannot lock " + file + " (" + describe(e) + ")");
    } catch (CliException e) {
      closeAfterFailure(channel, e);
      throw e;
    }
  }

  /**
   * As {@link #acquire}, but empty when another server holds the lock (then it serves the data
   * directory, and tools must go through it).
   *
   * @throws CliException (exit code 1) if the directory cannot be created or the file opened
   */
  static Optional<DataDirectoryLock> acquireUnlessInUse(Path dataDir) throws CliException {
    try {
      return Optional.of(acquire(dataDir));
    } catch (InUse e) {
      return Optional.empty();
    }
  }

  /** Another process (or this JVM) holds the lock. */
  private static final class InUse extends CliException {
    InUse(String message) {
      super(CliException.FAILED, message);
    }
  }

  /** The lock, or null if another process holds it; this JVM holding it counts as another. */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException heldByThisJvm) {
      return null;
    }
  }

  private static CliException inUse(Path dataDir, Path file) {
    return new InUse(
        "the data directory "
            + dataDir
            + " is in use by another dobj dev"
            + holder(file).map(pid -> " (process " + pid + ")").orElse("")
            + "; stop it, or serve with another --data");
  }

  /** The process id the holder wrote, if the file can be read (it cannot be on some systems). */
  private static Optional<String> holder(Path file) {
    try {
      String pid = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return pid.matches("\\d+") ? Optional.of(pid) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String describe(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException f) {
      return "a file is in the way: " + f.getFile();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static void closeAfterFailure(FileChannel channel, Exception failure) {
    try {
      channel.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /** Releases the lock (closing the channel does); the file stays. */
  @Override
  public void close() throws IOException {
    channel.close();
  }
}
