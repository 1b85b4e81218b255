package dev.dobj.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.runtime.Fixtures.Color;
import dev.dobj.runtime.Fixtures.Counter;
import dev.dobj.runtime.Fixtures.Point;
import dev.dobj.runtime.Fixtures.Tagged;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Arguments and results cross between caller and object by value. */
class ValuesTest extends RuntimeTestBase {

  @Test
  void recordsStringsEnumsOptionalsAndMaps_roundTrip() {
    Counter c = counters().getByName("v").call();
    assertThat(c.echo("héllo")).isEqualTo("héllo");
    assertThat(c.move(new Point(1, 2), 3)).isEqualTo(new Point(4, 2));
    assertThat(c.next(Color.RED)).isEqualTo(Color.GREEN);
    assertThat(c.maybe(true)).contains("here");
    assertThat(c.maybe(false)).isEmpty();
    assertThat(c.count(List.of("a", "b", "a"))).isEqualTo(Map.of("a", 2, "b", 1));
    assertThat(c.tag(new Tagged("t", List.of("x")), "y"))
        .isEqualTo(new Tagged("t", List.of("x", "y")));
  }

  @Test
  void mutableArguments_areCopied_soTheObjectCannotChangeTheCallersValues() {
    Counter c = counters().getByName("v").call();
    byte[] data = {1, 2, 3};
    byte[] reversed = c.reverse(data);
    assertThat(reversed).containsExactly(3, 2, 1);
    assertThat(data).containsExactly(1, 2, 3);

    List<String> mine = new ArrayList<>(List.of("a"));
    List<String> theirs = c.appendTo(mine, "b");
    assertThat(mine).containsExactly("a");
    assertThat(theirs).containsExactly("a", "b");
  }

  @Test
  void typesTheCodecCannotCopy_areRefusedAtTheCall_namingTheType() {
    Counter c = counters().getByName("v").call();
    assertThatThrownBy(() -> c.takeObject("x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object")
        .hasMessageContaining("takeObject");
    assertThat(probe.constructed).hasValue(0);
  }

  @Test
  void messagesOver32MiB_areRefusedWithCloudflaresWording() {
    Counter c = counters().getByName("v").call();
    assertThat(c.size(new byte[1024])).isEqualTo(1024);
    assertThatThrownBy(() -> c.size(new byte[33 * 1024 * 1024]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Serialized RPC arguments or return values are limited to 32MiB");
  }

  @Test
  void stubsTravelByReference_andReachTheSameObject() {
    var peers = runtime.env().namespace("PEER", Fixtures.Peer.class);
    var a = peers.getByName("a");
    var b = peers.getByName("b");
    // b receives a stub to a and calls through it: reaches a's one instance
    assertThat(b.call().bounce(a, 1)).isEqualTo("bounce(bottom)");
  }
}
