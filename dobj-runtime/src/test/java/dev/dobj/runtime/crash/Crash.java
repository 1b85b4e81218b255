package dev.dobj.runtime.crash;

import java.util.List;
import java.util.Map;

/** The RPC interface of {@link CrashObject}: what the crash server calls for each command. */
public interface Crash {
  /** Increments KV "n" and records {@code requestId} in SQL table {@code applied}, in one turn. */
  long inc(String requestId);

  /**
   * Puts the five KV keys {@code b.<k>-0..4} = {@code v} with one {@code put(Map)} and the row
   * {@code (k, v)} in SQL table {@code batches}, in one turn.
   */
  void batch(String k, String v);

  /** Sets the alarm to now + {@code delayMs}; its handler records {@code token} when it runs. */
  void setAlarm(long delayMs, String token);

  /** What the object holds now. */
  Snapshot snapshot();

  /** The request ids in {@code applied}. */
  List<String> appliedIds();

  /** One {@code token@boot} per run of the alarm handler, in the order they ran. */
  List<String> fires();

  /**
   * The state of one object.
   *
   * @param n KV "n"
   * @param applied rows in {@code applied}
   * @param fired KV "fired"
   * @param fires rows in {@code fires}
   * @param batches per batch key {@code k}: its value when the five KV keys and the SQL row agree,
   *     else {@code TORN[...]} listing what each holds
   */
  record Snapshot(long n, long applied, long fired, long fires, Map<String, String> batches) {}
}
