package dev.dobj.test;

import dev.dobj.AlarmInfo;
import dev.dobj.DurableObject;
import dev.dobj.DurableObjectState;
import dev.dobj.Env;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A small object with a field to look at, storage, an alarm handler and a blocking method. */
public final class NotesObject extends DurableObject implements Notes {
  /** In-memory, per instance: what the test kit's tests assert on. Turn-confined. */
  final List<String> events = new ArrayList<>();

  int alarmsRun;

  /** Set by a test before it calls {@link #blockUntilReleased()}. */
  volatile CountDownLatch entered = new CountDownLatch(1);

  volatile CountDownLatch release = new CountDownLatch(0);

  public NotesObject(DurableObjectState ctx, Env env) {
    super(ctx, env);
  }

  @Override
  public void put(String key, String text) {
    events.add("put " + key);
    ctx.storage().put(key, text);
  }

  @Override
  public String read(String key) {
    return ctx.storage().get(key, String.class).orElse("");
  }

  @Override
  public void alarmAt(long epochMillis) {
    ctx.storage().setAlarm(Instant.ofEpochMilli(epochMillis));
  }

  @Override
  public void blockUntilReleased() {
    events.add("call start");
    entered.countDown();
    try {
      if (!release.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the test did not release the blocked call within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    events.add("call end");
  }

  @Override
  public List<String> log() {
    return List.copyOf(events);
  }

  @Override
  public void alarm(AlarmInfo info) {
    alarmsRun++;
    events.add("alarm " + info.scheduledTime().toEpochMilli());
    ctx.storage().put("alarmed", info.scheduledTime().toEpochMilli());
  }
}
