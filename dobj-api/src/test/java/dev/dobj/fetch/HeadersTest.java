package dev.dobj.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadersTest {

  @Test
  void headers_areCaseInsensitive() {
    Headers headers = Headers.of("Content-Type", "text/plain");

    assertThat(headers.get("content-type")).contains("text/plain");
    assertThat(headers.get("CONTENT-TYPE")).contains("text/plain");
    assertThat(headers.has("cOnTeNt-TyPe")).isTrue();
  }

  @Test
  void aName_isAccepted_exactlyWhenEveryCharacterIsAnRfc9110Tchar() {
    String tchars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (char c = 0; c < 300; c++) {
      String name = "x" + c;
      if (tchars.indexOf(c) >= 0) {
        assertThat(Headers.builder().add(name, "v").build().has(name))
            .as("char %d", (int) c)
            .isTrue();
      } else {
        assertThatThrownBy(() -> Headers.builder().add(name, "v"))
            .as("char %d", (int) c)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("HTTP token");
      }
    }
    assertThatThrownBy(() -> Headers.builder().add("\u0130d", "v")) // dotted capital I
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void names_areStoredAndReturnedLowerCase() {
    Headers headers = Headers.builder().add("X-Request-ID", "1").build();

    assertThat(headers.names()).containsExactly("x-request-id");
    assertThat(headers.toMap()).containsOnlyKeys("x-request-id");
    assertThat(headers).containsExactly(entry("x-request-id", "1"));
  }

  @Test
  void get_joinsAllValuesWithCommaSpace() {
    Headers headers = Headers.of("accept", "text/html", "Accept", "application/json");

    assertThat(headers.get("accept")).contains("text/html, application/json");
    assertThat(headers.getAll("accept")).containsExactly("text/html", "application/json");
  }

  @Test
  void get_ofAnAbsentName_isEmpty() {
    Headers headers = Headers.of("a", "1");

    assertThat(headers.get("b")).isEmpty();
    assertThat(headers.getAll("b")).isEmpty();
    assertThat(headers.has("b")).isFalse();
  }

  @Test
  void names_keepFirstInsertionOrder_andIterationYieldsEachValue() {
    Headers headers = Headers.of("b", "1", "a", "2", "B", "3");

    assertThat(headers.names()).containsExactly("b", "a");
    assertThat(headers).containsExactly(entry("b", "1"), entry("b", "3"), entry("a", "2"));
    assertThat(headers.size()).isEqualTo(2);
  }

  @Test
  void with_replacesAllValues_andKeepsPosition() {
    Headers headers = Headers.of("a", "1", "b", "2", "a", "3");

    Headers replaced = headers.with("A", "9");

    assertThat(replaced.getAll("a")).containsExactly("9");
    assertThat(replaced.names()).containsExactly("a", "b");
    assertThat(headers.getAll("a")).as("the original is unchanged").containsExactly("1", "3");
  }

  @Test
  void withAdded_appendsAValue() {
    Headers headers = Headers.of("a", "1").withAdded("A", "2");

    assertThat(headers.getAll("a")).containsExactly("1", "2");
  }

  @Test
  void without_removesTheName_andIgnoresAbsentNames() {
    Headers headers = Headers.of("a", "1", "b", "2");

    assertThat(headers.without("A").names()).containsExactly("b");
    assertThat(headers.without("c")).isSameAs(headers);
  }

  @Test
  void ofMap_mergesNamesThatDifferOnlyInCase() {
    Map<String, List<String>> map = new LinkedHashMap<>();
    map.put("Set-Cookie", List.of("a=1"));
    map.put("x-empty", List.of());
    map.put("set-cookie", List.of("b=2", "c=3"));

    Headers headers = Headers.of(map);

    assertThat(headers.getAll("set-cookie")).containsExactly("a=1", "b=2", "c=3");
    assertThat(headers.has("x-empty")).isFalse();
  }

  @Test
  void of_withAnOddNumberOfArguments_isRefused() {
    assertThatThrownBy(() -> Headers.of("a", "1", "b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name/value pairs")
        .hasMessageContaining("got 3");
  }

  @Test
  void names_mustBeHttpTokens() {
    assertThatThrownBy(() -> Headers.of("bad name", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"bad name\"")
        .hasMessageContaining("HTTP token");
    assertThatThrownBy(() -> Headers.of("", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-empty");
    assertThatThrownBy(() -> Headers.empty().get("x:y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"x:y\"");
    assertThatThrownBy(() -> Headers.of("caf\u00e9", "1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void names_acceptEveryTcharSymbol() {
    String name = "!#$%&'*+-.^_`|~09azAZ";

    assertThat(Headers.of(name, "v").names()).containsExactly("!#$%&'*+-.^_`|~09azaz");
  }

  @Test
  void values_withCrLfOrNul_areRefused_namingTheHeaderButNotTheValue() {
    assertThatThrownBy(() -> Headers.of("X-Token", "secret\r\nx-evil: 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"x-token\"")
        .hasMessageContaining("CR (\\r) at index 6")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> Headers.of("a", "x\ny"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("LF (\\n) at index 1");
    assertThatThrownBy(() -> Headers.builder().set("a", "x\0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NUL");
  }

  @Test
  void values_loseLeadingAndTrailingBlanks_likeFetch() {
    Headers headers = Headers.of("a", " \t one two \t");

    assertThat(headers.get("a")).contains("one two");
  }

  @Test
  void nulls_areRefusedWithTheArgumentName() {
    assertThatThrownBy(() -> Headers.of("a", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("\"a\"");
    assertThatThrownBy(() -> Headers.empty().get(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("header name");
  }

  @Test
  void toMap_andNames_areUnmodifiable() {
    Headers headers = Headers.of("a", "1");

    assertThatThrownBy(() -> headers.toMap().put("b", List.of("2")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> headers.getAll("a").add("2"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> headers.names().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void builder_doesNotChangeHeadersItBuiltBefore() {
    Headers.Builder builder = Headers.builder().add("a", "1");
    Headers first = builder.build();

    builder.add("a", "2").set("b", "3");

    assertThat(first.getAll("a")).containsExactly("1");
    assertThat(first.has("b")).isFalse();
    assertThat(builder.build().getAll("a")).containsExactly("1", "2");
  }

  @Test
  void builder_remove_dropsAllValuesOfTheName() {
    Headers headers = Headers.of("a", "1", "a", "2", "b", "3").toBuilder().remove("A").build();

    assertThat(headers.names()).containsExactly("b");
  }

  @Test
  void equals_comparesValuesPerName_caseInsensitively_regardlessOfNameOrder() {
    Headers one = Headers.of("A", "1", "b", "2");
    Headers two = Headers.of("b", "2", "a", "1");
    Headers otherValueOrder = Headers.of("a", "1", "a", "2");

    assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
    assertThat(one).isNotEqualTo(Headers.of("a", "1"));
    assertThat(otherValueOrder).isNotEqualTo(Headers.of("a", "2", "a", "1"));
  }

  @Test
  void toString_hidesCredentialValues() {
    Headers headers = Headers.of("Authorization", "Bearer s3cret", "accept", "*/*");

    assertThat(headers.toString())
        .isEqualTo("Headers{authorization=<redacted>, accept=[*/*]}")
        .doesNotContain("s3cret");
  }

  @Test
  void empty_hasNoNames() {
    assertThat(Headers.empty().isEmpty()).isTrue();
    assertThat(Headers.empty().size()).isZero();
    assertThat(Headers.empty()).isEmpty();
  }
}
