package dev.dobj.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The import rules of STYLE.md's layout table, as tests: each module's packages may import only
 * what the table allows, the runtime's internal packages point one way (time, gate <- activation <-
 * entry), and no package cycle exists anywhere.
 */
class LayeringTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.dobj");

  private static final String[] API = {"dev.dobj", "dev.dobj.storage", "dev.dobj.fetch"};

  private static DescribedPredicate<JavaClass> inPackages(String... packages) {
    return DescribedPredicate.describe(
        "in " + String.join(", ", packages),
        c -> {
          for (String p : packages) {
            if (p.endsWith("..")) {
              String base = p.substring(0, p.length() - 2);
              if (c.getPackageName().equals(base) || c.getPackageName().startsWith(base + ".")) {
                return true;
              }
            } else if (c.getPackageName().equals(p)) {
              return true;
            }
          }
          return false;
        });
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = new String[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  @Test
  void api_importsTheJdkOnly() {
    classes()
        .that(inPackages(API))
        .should()
        .onlyDependOnClassesThat(inPackages(concat(API, "java..", "javax.crypto..")))
        .check(CLASSES);
  }

  @Test
  void spi_importsTheApiOnly() {
    classes()
        .that(inPackages("dev.dobj.spi.."))
        .should()
        .onlyDependOnClassesThat(inPackages(concat(API, "java..", "dev.dobj.spi..")))
        .check(CLASSES);
  }

  @Test
  void rpc_importsApiSpiAndTheCodecLibraryOnly() {
    classes()
        .that(inPackages("dev.dobj.rpc.."))
        .should()
        .onlyDependOnClassesThat(
            inPackages(
                concat(
                    API, "java..", "dev.dobj.spi..", "dev.dobj.rpc..", "com.fasterxml.jackson..")))
        .check(CLASSES);
  }

  @Test
  void runtime_importsApiSpiRpcAndLoggingOnly() {
    classes()
        .that(inPackages("dev.dobj.runtime.."))
        .should()
        .onlyDependOnClassesThat(
            inPackages(
                concat(
                    API,
                    "java..",
                    "dev.dobj.spi..",
                    "dev.dobj.rpc..",
                    "dev.dobj.runtime..",
                    "org.slf4j..",
                    "io.micrometer.core..")))
        .check(CLASSES);
  }

  @Test
  void runtimeMetrics_isALeaf_andOnlyItsPackageAndTheActivationTouchMicrometer() {
    classes()
        .that(inPackages("dev.dobj.runtime.internal.metrics"))
        .should()
        .onlyDependOnClassesThat(
            inPackages("java..", "dev.dobj.runtime.internal.metrics", "io.micrometer.."))
        .check(CLASSES);
    noClasses()
        .that(
            inPackages(
                "dev.dobj.runtime.internal.gate",
                "dev.dobj.runtime.internal.alarm",
                "dev.dobj.runtime.internal.storage",
                "dev.dobj.runtime.time"))
        .should()
        .dependOnClassesThat(inPackages("io.micrometer.."))
        .check(CLASSES);
  }

  @Test
  void runtimeInternals_pointOneWay_gateAndTimeAreLeaves() {
    noClasses()
        .that(inPackages("dev.dobj.runtime.internal.gate", "dev.dobj.runtime.time"))
        .should()
        .dependOnClassesThat(
            inPackages("dev.dobj", "dev.dobj.runtime.internal.activation", "dev.dobj.runtime"))
        .check(CLASSES);
    noClasses()
        .that(inPackages("dev.dobj.runtime.internal.."))
        .should()
        .dependOnClassesThat(inPackages("dev.dobj.runtime"))
        .check(CLASSES);
  }

  @Test
  void http_importsApiTheWebSocketSpiAndJettyOnly() {
    classes()
        .that(inPackages("dev.dobj.http.."))
        .should()
        .onlyDependOnClassesThat(
            inPackages(
                concat(
                    API,
                    "java..",
                    "dev.dobj.http..",
                    // The edge side of accepted WebSockets (EdgeWebSocket).
                    "dev.dobj.spi.websocket",
                    "org.eclipse.jetty..",
                    "org.slf4j..")))
        .check(CLASSES);
  }

  @Test
  void onlyTheHttpModule_touchesTheServerLibrary() {
    noClasses()
        .that(inPackages(concat(API, "dev.dobj.spi..", "dev.dobj.rpc..", "dev.dobj.runtime..")))
        .should()
        .dependOnClassesThat(inPackages("org.eclipse.jetty.."))
        .check(CLASSES);
  }

  @Test
  void examples_importTheApiOnly() {
    // jackson-core is on every app's class path (the runtime carries it); the chat example uses it.
    classes()
        .that(inPackages("dev.dobj.examples.."))
        .should()
        .onlyDependOnClassesThat(
            inPackages(
                concat(API, "java..", "dev.dobj.examples..", "com.fasterxml.jackson.core..")))
        .check(CLASSES);
  }

  @Test
  void testKit_importsTheRuntimesPublicPackagesTheEmbeddedEngineAndJUnitOnly() {
    classes()
        .that(inPackages("dev.dobj.test.."))
        .should()
        .onlyDependOnClassesThat(
            inPackages(
                concat(
                    API,
                    "java..",
                    "dev.dobj.test..",
                    "dev.dobj.runtime",
                    "dev.dobj.runtime.time",
                    "dev.dobj.spi.storage",
                    "dev.dobj.sqlite",
                    "org.junit..")))
        .check(CLASSES);
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.dobj.(**)").should().beFreeOfCycles().check(CLASSES);
  }
}
