package dev.dobj.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.DurableObjectId;
import org.junit.jupiter.api.Test;

class NamePersistenceTest extends StorageTestBase {

  @Test
  void anObjectReachedByName_knowsItsNameWhenLaterReachedById_evenAfterARestart() {
    store("alice").put("k", "v");
    DurableObjectId id = stores().idFromName("alice");
    restart();
    DurableObjectId parsed = stores().idFromString(id.toString());
    assertThat(parsed.name()).isEmpty();
    assertThat(stores().get(parsed).call().name()).isEqualTo("alice");
  }

  @Test
  void anObjectWithoutState_hasNoPersistedName() {
    DurableObjectId id = stores().idFromName("ghost");
    assertThat(store("ghost").get("k")).isEmpty();
    restart();
    assertThat(stores().get(stores().idFromString(id.toString())).call().name())
        .isEqualTo("<none>");
  }
}
