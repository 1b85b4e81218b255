/**
 * Alarms of one namespace: which objects' alarms are due when, waking them at that time, and
 * retrying failed runs with back-off. Imports the JDK, the storage SPI and {@code time}; it reaches
 * objects only through the {@link dev.dobj.runtime.internal.alarm.AlarmScheduler.Delivery} it is
 * given.
 *
 * <p>Invariants owned here: an alarm committed to storage is fired at least once (also after a
 * restart, from the engine's alarm index); a failed run is retried after 2 s, 4 s, 8 s ... up to 6
 * times with up to 25% jitter, then dropped.
 */
package dev.dobj.runtime.internal.alarm;
