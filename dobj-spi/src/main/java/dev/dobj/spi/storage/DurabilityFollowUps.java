package dev.dobj.spi.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * Work that the thread completing {@link ObjectStore#durable} futures may run itself once it has
 * completed them, instead of handing it to another thread.
 *
 * <p>Why: under load one object's next batch waits for the sync in flight, and commits the moment
 * that sync ends; the commit then needs the next sync. If the engine's sync thread hands the commit
 * to another thread, which hands the new record back, two thread wake-ups sit between consecutive
 * fsyncs, and on a loaded machine each costs about as much as the commit itself. Run on the sync
 * thread, the commit appends its record and the next fsync starts with no hand-off at all.
 *
 * <p>An engine that supports this completes its futures inside {@link #complete}; a callback of
 * such a future calls {@link #offer} and, if the offer is refused (any other thread), runs the work
 * elsewhere itself. Work run here must not wait for anything that may wait for the engine's thread;
 * the engine documents what its thread may run.
 *
 * <p>Thread-confined: what a thread collects is its own.
 */
public final class DurabilityFollowUps {
  /** Work offered to the completing thread. */
  public interface FollowUp {
    /** Runs the work on the completing thread. */
    void runHere();

    /** Hands the work to another thread; must not block. */
    void runElsewhere();
  }

  private static final ThreadLocal<List<FollowUp>> COLLECTING = new ThreadLocal<>();

  private DurabilityFollowUps() {}

  /**
   * From a callback of a durability future: gives {@code work} to the thread running the callback
   * if it is completing futures inside {@link #complete}.
   *
   * @return false if this thread takes no follow-ups: the caller runs {@code work} elsewhere
   */
  public static boolean offer(FollowUp work) {
    List<FollowUp> collecting = COLLECTING.get();
    if (collecting == null) {
      return false;
    }
    collecting.add(work);
    return true;
  }

  /**
   * Engine: runs {@code completions} (which complete durability futures), then runs the first
   * {@code here} follow-ups offered meanwhile on this thread, in the order offered, and hands the
   * others elsewhere. A follow-up that throws does not keep the others from running; the first
   * exception is rethrown at the end.
   */
  public static void complete(Runnable completions, int here) {
    if (here < 0) {
      throw new IllegalArgumentException("here must not be negative, got " + here);
    }
    List<FollowUp> outer = COLLECTING.get();
    List<FollowUp> offered = new ArrayList<>(2);
    COLLECTING.set(offered);
    try {
      completions.run();
    } finally {
      COLLECTING.set(outer);
    }
    RuntimeException failure = null;
    for (int i = 0; i < offered.size(); i++) {
      try {
        if (i < here) {
          offered.get(i).runHere();
        } else {
          offered.get(i).runElsewhere();
        }
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
