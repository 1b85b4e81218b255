package dev.dobj.rpc.codec;

import dev.dobj.rpc.codec.Fixtures.*;
import java.util.*;
import org.junit.jupiter.api.Test;

class ScratchPerfTest {
  @Test
  void perf() {
    RpcCodec codec = new RpcCodec(new FakeReferences());
    MethodPlan echo = codec.plan(Fixtures.method("echo", Msg.class));
    MethodPlan move = codec.plan(Fixtures.method("move", Point.class, int.class));
    Object[] msgArgs = {new Msg("hello world", new ArrayList<>(List.of("a", "b", "c")), new byte[64])};
    Object[] pArgs = {new Point(1, 2), 3};
    long sink = 0;
    for (int round = 0; round < 5; round++) {
      int n = 5_000_000;
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += ((Msg) echo.copyArguments(msgArgs)[0]).tags().size();
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += move.copyArguments(pArgs).length;
      }
      long t2 = System.nanoTime();
      long tb = System.nanoTime();
      for (int i = 0; i < n; i++) {
        Msg m = (Msg) msgArgs[0];
        Object[] out = new Object[] {new Msg(m.text(), List.copyOf(m.tags()), m.data().clone())};
        sink += ((Msg) out[0]).tags().size();
      }
      System.out.printf("baseline hand copy %.1f ns%n", (System.nanoTime() - tb) / (double) n);
      ValuePlan tagsPlan = codec.plan(Fixtures.parameterType("numbers"));
      List<Integer> ints = new ArrayList<>(List.of(1, 2, 3));
      long tc = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += ((List<?>) tagsPlan.copy(ints)).size();
      }
      System.out.printf("list copy %.1f ns%n", (System.nanoTime() - tc) / (double) n);
      ValuePlan bytesPlan = codec.plan(byte[].class);
      byte[] b64 = new byte[64];
      tc = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += ((byte[]) bytesPlan.copy(b64)).length;
      }
      System.out.printf("bytes copy %.1f ns%n", (System.nanoTime() - tc) / (double) n);
      byte[] enc = echo.encodeArguments(msgArgs);
      long t3 = System.nanoTime();
      for (int i = 0; i < n / 10; i++) {
        sink += echo.decodeArguments(echo.encodeArguments(msgArgs)).length;
      }
      long t4 = System.nanoTime();
      System.out.printf("msg copy %.1f ns, point copy %.1f ns, msg wire roundtrip %.1f ns (%d bytes)%n",
          (t1 - t0) / (double) n, (t2 - t1) / (double) n, (t4 - t3) / (double) (n / 10), enc.length);
    }
    System.out.println(sink);
  }
}
