package dev.dobj.runtime.internal.activation;

import dev.dobj.runtime.internal.gate.InputGate;

/**
 * Something delivered to an object that runs as one turn: a call, a fetch, the constructor. An
 * event is created on the caller's side (arguments already copied) and executed once by the
 * activation's turn, or rejected once by a reset or an overload.
 */
abstract class Event extends InputGate.Entry {
  /** Runs the event as a turn of {@code activation}; never throws. */
  abstract void execute(Activation activation);

  /** Fails an event that could not be delivered (overload, broken stub). */
  final void failDelivery(RuntimeException cause) {
    reject(cause);
  }
}
