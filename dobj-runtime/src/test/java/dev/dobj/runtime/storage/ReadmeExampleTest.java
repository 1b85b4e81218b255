package dev.dobj.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.DurableObject;
import dev.dobj.DurableObjectNamespace;
import dev.dobj.DurableObjectState;
import dev.dobj.DurableObjectStub;
import dev.dobj.Env;
import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.spi.storage.Durability;
import dev.dobj.sqlite.SqliteStorageEngine;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of the README's "programming model in one page", compiled and run. */
class ReadmeExampleTest {
  public interface Counter {
    long increment();
  }

  public static class CounterObject extends DurableObject implements Counter {
    public CounterObject(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public long increment() {
      long next = ctx.storage().get("n", Long.class).orElse(0L) + 1;
      ctx.storage().put("n", next); // committed with the turn; the result waits until durable
      return next;
    }
  }

  @TempDir Path dir;

  @Test
  void theReadmeExampleRuns() {
    Path dotDobj = dir.resolve(".dobj");
    try (DurableObjectRuntime runtime =
        DurableObjectRuntime.builder()
            .bind("COUNTER", CounterObject.class, "counter-v1") // binding, class, unique key
            .storage(new SqliteStorageEngine(dotDobj, Durability.FSYNC))
            .build()) {
      DurableObjectNamespace<Counter> counters = runtime.env().namespace("COUNTER", Counter.class);
      DurableObjectStub<Counter> stub = counters.getByName("alice");
      long n = stub.call().increment(); // blocking call
      CompletableFuture<Long> f = stub.callAsync(c -> c.increment()); // async, still in E-order
      assertThat(n).isEqualTo(1);
      assertThat(f.join()).isEqualTo(2);
    }
  }
}
