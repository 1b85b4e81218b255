package dev.dobj.examples.chat;

import static dev.dobj.test.DurableObjects.listDurableObjectIds;
import static dev.dobj.test.DurableObjects.runInDurableObject;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectNamespace;
import dev.dobj.DurableObjectState;
import dev.dobj.DurableObjectStub;
import dev.dobj.test.Bound;
import dev.dobj.test.DurableObjectTest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The room's storage through the test kit: rows written inside the object, read through RPC. */
@DurableObjectTest(
    bindings = @DurableObjectTest.Binding(name = "ROOMS", type = ChatRoomObject.class))
class ChatRoomKitTest {
  @Bound("ROOMS")
  DurableObjectNamespace<ChatRoom> rooms;

  @Test
  void history_isTheLastMessages_oldestFirst() {
    DurableObjectStub<ChatRoom> lobby = rooms.getByName("lobby");
    runInDurableObject(
        lobby,
        (ChatRoomObject room, DurableObjectState ctx) -> {
          for (int i = 1; i <= 5; i++) {
            ctx.storage()
                .sql()
                .exec(
                    "INSERT INTO messages (user, text, at) VALUES (?, ?, ?)", "alice", "m" + i, i);
          }
          return null;
        });

    assertThat(lobby.call().history(3).messages())
        .extracting(ChatMessage::text)
        .containsExactly("m3", "m4", "m5");
  }

  @Test
  void everyRoomThatWasReached_hasStorage() {
    rooms.getByName("lobby").call().history(1);
    rooms.getByName("games").call().history(1);

    assertThat(listDurableObjectIds(rooms))
        .extracting(DurableObjectId::name)
        .containsExactlyInAnyOrder(Optional.of("lobby"), Optional.of("games"));
  }
}
