package dev.dobj.test;

import java.util.List;

/** The RPC interface of the test kit's own test object. */
public interface Notes {
  void put(String key, String text);

  String read(String key);

  void alarmAt(long epochMillis);

  /** Records "call start", waits for the test's latch, records "call end". */
  void blockUntilReleased();

  List<String> log();
}
