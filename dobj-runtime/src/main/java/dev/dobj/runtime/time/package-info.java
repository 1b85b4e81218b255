/**
 * Time as the runtime sees it: the current instant and timers, injected so that tests drive
 * eviction, alarms and timeouts with a {@link dev.dobj.runtime.time.ManualClock} instead of
 * sleeping. Imports the JDK only; every other runtime package may import it.
 */
package dev.dobj.runtime.time;
