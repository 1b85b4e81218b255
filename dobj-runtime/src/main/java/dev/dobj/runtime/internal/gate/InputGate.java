package dev.dobj.runtime.internal.gate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The input gate of one object: decides which thread may run a turn of the object now.
 *
 * <p>The gate is a token. Whoever holds it runs a turn; everyone else waits in one first-in,
 * first-out queue. Two kinds of waiters share that queue: <em>events</em> (a call, fetch or alarm
 * that has not started) and <em>resumptions</em> (a turn that released the token while it waited on
 * an outgoing call and now wants it back). When the holder is done (or suspends), it hands the
 * token to the head of the queue: an event is given a runner thread by the {@link Owner}; a
 * resumption's parked thread is woken and owns the token from then on. A runner thread that
 * finishes an event asks {@link #next} for the following event and keeps running on the same
 * thread, so a burst of queued calls costs no thread hand-off per call.
 *
 * <p>Invariant: when no one holds the token, the queue is empty. So a caller that finds the gate
 * free may take it and run its event on its own thread ({@link #tryEnter}); this keeps a blocking
 * call to an idle object free of any thread hand-off, and cannot overtake anything queued.
 *
 * <p>The gate also tracks the events that have started and not finished (the running one and the
 * suspended ones), in an intrusive list, so that {@link #breakWith} can fail every in-flight and
 * queued event at once when the object is reset. A gate can also be {@linkplain #closeIfIdle
 * closed} when it is idle (eviction); callers that find it closed bind to a new instance.
 *
 * <p>Thread-safety: every field is guarded by {@code lock}; the lock is never held while running
 * user code, starting threads or parking. Entries are rejected outside the lock.
 *
 * @param <E> the event type
 */
public final class InputGate<E extends InputGate.Entry> {
  /** An event that can wait in the gate. Subclassed by the runtime's events. */
  public abstract static class Entry {
    // @GuardedBy("gate.lock"): links of the in-flight list.
    private Entry prev;
    private Entry next;
    private boolean inFlight;

    /** {@link #queuedAtMillis()} of an entry that never waited in the queue. */
    public static final long NOT_QUEUED = Long.MIN_VALUE;

    // @GuardedBy("gate.lock"): when the entry was queued, in the owner's milliseconds.
    private long queuedAt = NOT_QUEUED;

    /**
     * When this event was queued (the owner's milliseconds), or {@link #NOT_QUEUED} if it took a
     * free gate. Read by its turn: the gate's lock ordered the write before the turn started.
     */
    public final long queuedAtMillis() {
      return queuedAt;
    }

    // @GuardedBy("gate.lock"): when the entry was queued, by the owner's nanosecond clock.
    private long queuedAtNanos;

    /**
     * When this event was queued by the owner's {@link Owner#nowNanos()} clock (meaningful only if
     * {@link #queuedAtMillis()} is not {@link #NOT_QUEUED}). Read by its turn, like that one.
     */
    public final long queuedAtNanos() {
      return queuedAtNanos;
    }

    /**
     * Fails this event with {@code cause}; called at most once, outside the gate's lock, when the
     * gate breaks. An in-flight event's turn may still be running; its later outcome is ignored.
     */
    protected abstract void reject(RuntimeException cause);
  }

  /** What {@link #tryEnter} found. */
  public enum Admission {
    /** The caller now holds the token and must run its event, then call {@link #finish}. */
    ENTERED,
    /** Someone holds the token; use {@link #submit}. */
    BUSY,
    /** The gate was closed by eviction; bind to a new instance. */
    CLOSED
  }

  /** What the gate needs from the object it guards. */
  public interface Owner<E> {
    /**
     * Starts a new thread that runs {@code first} as a turn and then keeps calling {@link #next}.
     */
    void startRunner(E first);

    /** The exception for an event refused because {@code queued} events already wait. */
    RuntimeException overloaded(int queued);

    /** The exception for an event dropped after waiting {@code waitedMillis} in the queue. */
    RuntimeException queuedTooLong(long waitedMillis);

    /** The current time in milliseconds (read only for events that had to queue). */
    long nowMillis();

    /**
     * A monotonic time in nanoseconds to measure how long queued events wait (read only for events
     * that had to queue); 0 when nothing measures it.
     */
    default long nowNanos() {
      return 0;
    }

    /**
     * Work the holder must do before the gate goes idle (an event to run), or null. Asked under the
     * gate's lock each time the queue is found empty: must be cheap and must not block.
     */
    E idleWork();
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Owner<E> owner;
  private final int maxQueuedEvents;
  private final long maxQueueWaitMillis;

  // @GuardedBy("lock")
  private boolean held;
  // @GuardedBy("lock"); allocated on first contention.
  private ArrayDeque<Object> waiting;
  // @GuardedBy("lock"); events in {@code waiting} (resumptions do not count).
  private volatile int queuedEvents; // written under the lock, read without it
  // @GuardedBy("lock"); head of the in-flight list.
  private Entry inFlight;
  // @GuardedBy("lock")
  private int inFlightCount;
  // @GuardedBy("lock")
  private volatile RuntimeException broken; // written under the lock, read without it
  // @GuardedBy("lock")
  private boolean closed;
  // Written under the lock, read without it by a runner lingering for more work.
  private volatile int arrivals;

  /**
   * A gate.
   *
   * @param first if not null, the creator holds the token from the start with this event in flight,
   *     and must start it itself with {@link Owner#startRunner} (used for the constructor, so that
   *     nothing can run before it)
   * @param owner starts runner threads and makes overload errors
   * @param maxQueuedEvents events that may wait before {@link #submit} refuses more
   * @param maxQueueWaitMillis how long an event may wait in the queue; one that waited longer is
   *     rejected with {@link Owner#queuedTooLong} instead of run
   */
  public InputGate(E first, Owner<E> owner, int maxQueuedEvents, long maxQueueWaitMillis) {
    this.owner = owner;
    this.maxQueuedEvents = maxQueuedEvents;
    this.maxQueueWaitMillis = maxQueueWaitMillis;
    if (first != null) {
      held = true;
      link(first);
    }
  }

  /**
   * Takes the token if no one holds it, marking {@code e} in flight.
   *
   * @throws RuntimeException the gate's break cause, if it is broken
   */
  public Admission tryEnter(E e) {
    lock.lock();
    try {
      if (broken != null) {
        throw broken;
      }
      if (closed) {
        return Admission.CLOSED;
      }
      if (held) {
        return Admission.BUSY;
      }
      held = true;
      link(e);
      return Admission.ENTERED;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues {@code e}, or, if the gate is free, takes the token and starts a runner with it.
   *
   * @return false if the gate was closed by eviction (nothing was queued)
   * @throws RuntimeException the gate's break cause if broken; the overload exception if the queue
   *     is full
   */
  public boolean submit(E e) {
    lock.lock();
    try {
      if (broken != null) {
        throw broken;
      }
      if (closed) {
        return false;
      }
      if (held) {
        if (queuedEvents >= maxQueuedEvents) {
          throw owner.overloaded(queuedEvents);
        }
        if (waiting == null) {
          waiting = new ArrayDeque<>();
        }
        ((Entry) e).queuedAt = owner.nowMillis();
        ((Entry) e).queuedAtNanos = owner.nowNanos();
        waiting.add(e);
        queuedEvents++;
        arrivals++;
        return true;
      }
      held = true;
      link(e);
    } finally {
      lock.unlock();
    }
    owner.startRunner(e);
    return true;
  }

  /**
   * On a runner thread: {@code done} finished; returns the next event to run on this thread, or
   * {@code null} when the token was handed to a waiting turn or freed.
   */
  public E next(E done) {
    Object head = takeHead(done, true);
    if (head instanceof Resumption r) {
      r.grant(null);
      return null;
    }
    @SuppressWarnings("unchecked")
    E event = (E) head;
    return event;
  }

  /**
   * Off a runner thread (an event run by its caller): {@code done} finished; hands the token to the
   * next waiter (starting a runner for an event) or frees it.
   */
  public void finish(E done) {
    handOver(takeHead(done, false));
  }

  /**
   * The holder is about to wait on something outside the object (an outgoing call): hands the token
   * on while its own event stays in flight. Must be followed by {@link #reenter()}.
   */
  public void suspend() {
    handOver(takeHead(null, false));
  }

  /**
   * Takes the token back after {@link #suspend()}, behind every waiter queued before; parks until
   * then.
   *
   * @throws RuntimeException the gate's break cause, if it broke meanwhile
   */
  public void reenter() {
    Resumption r;
    lock.lock();
    try {
      if (broken != null) {
        throw broken;
      }
      if (!held) {
        held = true;
        return;
      }
      r = new Resumption(Thread.currentThread());
      if (waiting == null) {
        waiting = new ArrayDeque<>();
      }
      waiting.add(r);
    } finally {
      lock.unlock();
    }
    r.await();
  }

  /**
   * Breaks the gate for good: every queued and in-flight event is rejected with {@code cause},
   * waiting resumptions throw it, and every later call of this gate throws it. Idempotent: only the
   * first cause counts.
   *
   * @return whether this call broke the gate (false if it was already broken)
   */
  public boolean breakWith(RuntimeException cause) {
    return breakWith(cause, null);
  }

  /**
   * As {@link #breakWith(RuntimeException)}; if this call breaks the gate, {@code first} (if not
   * null) runs before any event is rejected, outside the lock (so what it records is visible to
   * whoever hears of the break).
   */
  public boolean breakWith(RuntimeException cause, Runnable first) {
    List<Object> victims = new ArrayList<>();
    lock.lock();
    try {
      if (broken != null) {
        return false;
      }
      broken = cause;
      for (Entry e = inFlight; e != null; e = e.next) {
        victims.add(e);
      }
      if (waiting != null) {
        victims.addAll(waiting);
        waiting.clear();
      }
      queuedEvents = 0;
    } finally {
      lock.unlock();
    }
    if (first != null) {
      first.run();
    }
    for (Object v : victims) {
      if (v instanceof Resumption r) {
        r.grant(cause);
      } else {
        ((Entry) v).reject(cause);
      }
    }
    return true;
  }

  /**
   * Closes the gate if nothing runs, waits or is in flight, and {@code pending} (asked under the
   * lock while nothing holds the token) says the owner has no work still to come through the gate
   * (eviction). Later callers get {@link Admission#CLOSED} or {@code false} and bind to a new
   * instance.
   *
   * @return whether the gate is now closed
   */
  public boolean closeIfIdle(BooleanSupplier pending) {
    lock.lock();
    try {
      if (held || inFlight != null || broken != null || (!closed && pending.getAsBoolean())) {
        return closed;
      }
      closed = true;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Whether someone holds the token, something waits, or something is in flight. */
  public boolean busy() {
    lock.lock();
    try {
      return held || inFlight != null;
    } finally {
      lock.unlock();
    }
  }

  /** The break cause, or {@code null} while the gate is not broken. */
  public RuntimeException brokenCause() {
    return broken;
  }

  /** Events waiting in the queue (not counting resumptions or in-flight events). */
  public int queuedEvents() {
    return queuedEvents;
  }

  /** Events that started and have not finished (running or suspended). */
  public int inFlightEvents() {
    lock.lock();
    try {
      return inFlightCount;
    } finally {
      lock.unlock();
    }
  }

  // @GuardedBy("lock"): takes the head waiter; marks an event in flight; frees the token if none.
  private Object pollLocked() {
    Object head = waiting == null ? null : waiting.poll();
    if (head == null && broken == null) {
      head = owner.idleWork();
      if (head != null) {
        link((Entry) head);
        return head;
      }
    }
    if (head == null) {
      held = false;
    } else if (!(head instanceof Resumption)) {
      queuedEvents--;
      link((Entry) head);
    }
    return head;
  }

  /** How many times a runner checks for new work before it lets the gate go (about a µs). */
  private static final int LINGER_SPINS = 64;

  /**
   * The holder gives up the token: {@code done} (if not null) leaves the in-flight list, events
   * that waited too long are rejected, and the head waiter (or the owner's idle work) is taken.
   * Returns it, or null when the gate is now free.
   *
   * <p>With {@code linger} (a runner thread asking for its next event), an empty queue does not
   * free the gate at once: the runner keeps it for a few spins, so an event that a caller fires
   * right now is queued and run on this thread instead of on a new runner thread.
   */
  private Object takeHead(E done, boolean linger) {
    Object head = null;
    List<Entry> expired;
    boolean lingering = false;
    int seen = 0;
    lock.lock();
    try {
      if (done != null) {
        unlink(done);
      }
      expired = dropExpiredLocked();
      if (linger && broken == null && (waiting == null || waiting.isEmpty())) {
        lingering = true;
        seen = arrivals;
      } else {
        head = pollLocked();
      }
    } finally {
      lock.unlock();
    }
    rejectExpired(expired);
    if (lingering) {
      for (int i = 0; i < LINGER_SPINS && arrivals == seen; i++) {
        Thread.onSpinWait();
      }
      lock.lock();
      try {
        expired = dropExpiredLocked();
        head = pollLocked();
      } finally {
        lock.unlock();
      }
      rejectExpired(expired);
    }
    return head;
  }

  // @GuardedBy("lock"): removes the events at the head that waited too long; null if none.
  private List<Entry> dropExpiredLocked() {
    if (waiting == null || waiting.isEmpty()) {
      return null;
    }
    List<Entry> expired = null;
    long now = owner.nowMillis();
    while (waiting.peek() instanceof Entry e && now - e.queuedAt > maxQueueWaitMillis) {
      waiting.poll();
      queuedEvents--;
      if (expired == null) {
        expired = new ArrayList<>();
      }
      e.queuedAt = now - e.queuedAt; // from here on: how long it waited, for the error
      expired.add(e);
    }
    return expired;
  }

  private void rejectExpired(List<Entry> expired) {
    if (expired != null) {
      for (Entry e : expired) {
        e.reject(owner.queuedTooLong(e.queuedAt));
      }
    }
  }

  private void handOver(Object head) {
    if (head instanceof Resumption r) {
      r.grant(null);
    } else if (head != null) {
      @SuppressWarnings("unchecked")
      E event = (E) head;
      owner.startRunner(event);
    }
  }

  private void link(Entry e) {
    if (e.inFlight) {
      throw new AssertionError("event already in flight: " + e);
    }
    e.inFlight = true;
    e.prev = null;
    e.next = inFlight;
    if (inFlight != null) {
      inFlight.prev = e;
    }
    inFlight = e;
    inFlightCount++;
  }

  private void unlink(Entry e) {
    if (!e.inFlight) {
      throw new AssertionError("event not in flight: " + e);
    }
    if (e.prev != null) {
      e.prev.next = e.next;
    } else {
      inFlight = e.next;
    }
    if (e.next != null) {
      e.next.prev = e.prev;
    }
    e.prev = null;
    e.next = null;
    e.inFlight = false;
    inFlightCount--;
  }

  /** A suspended turn waiting for the token. */
  private static final class Resumption {
    private final Thread thread;
    private volatile boolean granted;
    private volatile RuntimeException failure;

    Resumption(Thread thread) {
      this.thread = thread;
    }

    void grant(RuntimeException cause) {
      failure = cause;
      granted = true;
      LockSupport.unpark(thread);
    }

    void await() {
      while (!granted) {
        LockSupport.park(this);
      }
      RuntimeException f = failure;
      if (f != null) {
        throw f;
      }
    }
  }
}
