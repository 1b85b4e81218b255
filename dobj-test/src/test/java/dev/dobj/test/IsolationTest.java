package dev.dobj.test;

import static dev.dobj.test.DurableObjects.listDurableObjectIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.DurableObjectNamespace;
import dev.dobj.runtime.DurableObjectRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Each test gets its own runtime and storage: nothing written by one is seen by the next. */
@DurableObjectTest(bindings = @DurableObjectTest.Binding(name = "NOTES", type = NotesObject.class))
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IsolationTest {
  /** The runtimes seen, in test order (the class's instance is per test; this list is not). */
  private static final List<DurableObjectRuntime> SEEN = new ArrayList<>();

  @Bound("NOTES")
  DurableObjectNamespace<Notes> notes;

  @Test
  @Order(1)
  void first_writes(DurableObjectRuntime runtime) {
    SEEN.add(runtime);
    notes.getByName("a").call().put("k", "from the first test");
    assertThat(listDurableObjectIds(notes)).hasSize(1);
  }

  @Test
  @Order(2)
  void second_seesNothingOfTheFirst_andTheFirstRuntimeIsClosed(DurableObjectRuntime runtime) {
    SEEN.add(runtime);
    assertThat(listDurableObjectIds(notes)).isEmpty();
    assertThat(notes.getByName("a").call().read("k")).isEmpty();
    assertThat(SEEN).doesNotHaveDuplicates();
  }

  @Test
  @Order(3)
  void theDataDirectoriesOfEarlierTests_areDeleted() throws Exception {
    try (var dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      long left =
          dirs.filter(p -> p.getFileName().toString().startsWith("dobj-test-"))
              .filter(p -> Files.exists(p.resolve("NOTES")))
              .count();
      assertThat(left).as("earlier tests' data directories still holding objects").isZero();
    }
  }
}
