package dev.dobj.runtime.internal.activation;

import dev.dobj.runtime.time.RuntimeClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.random.RandomGenerator;

/**
 * The knobs of a runtime that activations read. Built once by the runtime's builder.
 *
 * @param clock time and timers
 * @param turnThreads makes the threads that run turns (virtual threads by default)
 * @param random source of unique ids
 * @param jitter source of the random jitter added to alarm retries
 * @param idleTimeout how long an idle object stays in memory
 * @param hibernationTimeout how long an idle object whose only connections are accepted WebSockets
 *     stays in memory before it hibernates
 * @param criticalSectionTimeout how long a critical section (and a constructor) may run
 * @param storageOperationTimeout how long one call into an object's storage may run before the
 *     object is reset
 * @param maxQueuedEvents events that may wait per object before calls are refused as overloaded
 * @param maxQueueWait how long an event may wait in an object's queue before it is dropped as
 *     overloaded
 * @param maxCriticalSectionDepth how deeply {@code blockConcurrencyWhile} may nest
 */
public record Settings(
    RuntimeClock clock,
    ThreadFactory turnThreads,
    SecureRandom random,
    RandomGenerator jitter,
    Duration idleTimeout,
    Duration hibernationTimeout,
    Duration criticalSectionTimeout,
    Duration storageOperationTimeout,
    int maxQueuedEvents,
    Duration maxQueueWait,
    int maxCriticalSectionDepth) {}
