package dev.dobj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NamespaceKeyTest {
  private final NamespaceKey key = NamespaceKey.of("anchor-counter-key-v1");

  @Test
  void idFromName_isByteForByteCloudflaresLocalRuntimeId() {
    assertThat(key.idFromName("foo").toString())
        .isEqualTo("573b45479cc368657d00fb2bf99ce052de75a9891f553f9340cdf6ec72978ddd");
  }

  @Test
  void idFromName_isStable_carriesTheName_andDependsOnTheKey() {
    DurableObjectId a = key.idFromName("alice");
    assertThat(NamespaceKey.of("anchor-counter-key-v1").idFromName("alice")).isEqualTo(a);
    assertThat(a.name()).contains("alice");
    assertThat(NamespaceKey.of("another-key").idFromName("alice")).isNotEqualTo(a);
    assertThat(key.idFromName("bob")).isNotEqualTo(a);
  }

  @Test
  void toString_is64LowercaseHexDigits() {
    assertThat(key.newUniqueId(new SecureRandom(), Optional.empty()).toString())
        .matches("[0-9a-f]{64}");
  }

  @Test
  void newUniqueId_isRandom_verifies_andHasNoName() {
    SecureRandom random = new SecureRandom();
    Set<DurableObjectId> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      DurableObjectId id = key.newUniqueId(random, Optional.empty());
      assertThat(id.name()).isEmpty();
      assertThat(key.owns(id)).isTrue();
      ids.add(id);
    }
    assertThat(ids).hasSize(1000);
  }

  @Test
  void newUniqueId_keepsItsJurisdiction() {
    DurableObjectId id = key.newUniqueId(new SecureRandom(), Optional.of(Jurisdiction.EU));
    assertThat(id.jurisdiction()).contains(Jurisdiction.EU);
    assertThat(Jurisdiction.of("fedramp-high")).isEqualTo(Jurisdiction.FEDRAMP_HIGH);
    assertThatThrownBy(() -> Jurisdiction.of("mars"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mars");
  }

  @Test
  void idFromString_acceptsUpperCase_printsLowerCase_andCarriesNoName() {
    DurableObjectId named = key.idFromName("foo");
    DurableObjectId parsed = key.idFromString(named.toString().toUpperCase());
    assertThat(parsed).isEqualTo(named);
    assertThat(parsed.toString()).isEqualTo(named.toString());
    assertThat(parsed.name()).isEmpty();
  }

  @Test
  void idFromString_refusesTextThatIsNot64HexDigits() {
    for (String bad : new String[] {"", "abc", "z".repeat(64), "573b".repeat(17)}) {
      assertThatThrownBy(() -> key.idFromString(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Invalid Durable Object ID: must be 64 hex digits");
    }
  }

  @Test
  void idFromString_refusesAnIdOfAnotherNamespace() {
    String foreign = NamespaceKey.of("other").idFromName("foo").toString();
    assertThatThrownBy(() -> key.idFromString(foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Durable Object ID is not valid for this namespace.");
    String tampered = "0" + key.idFromName("foo").toString().substring(1);
    assertThatThrownBy(() -> key.idFromString(tampered))
        .hasMessage("Durable Object ID is not valid for this namespace.");
  }

  @Test
  void equality_usesTheBytesOnly() {
    DurableObjectId named = key.idFromName("foo");
    DurableObjectId unnamed = key.idFromString(named.toString());
    assertThat(named).isEqualTo(unnamed).hasSameHashCodeAs(unnamed);
    assertThat(named.toBytes()).hasSize(32);
  }

  @Test
  void withName_attachesARecoveredName_onlyIfItDerivesTheId() {
    DurableObjectId unnamed = key.idFromString(key.idFromName("foo").toString());
    assertThat(key.withName(unnamed, "foo").name()).contains("foo");
    assertThatThrownBy(() -> key.withName(unnamed, "bar"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bar");
  }

  @Test
  void keyNeverPrintsItself() {
    assertThat(key.toString()).doesNotContain("anchor");
    assertThatThrownBy(() -> NamespaceKey.of("")).isInstanceOf(IllegalArgumentException.class);
  }
}
