package dev.dobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AppSwitch} without a server: a request runs with the version's class loader as its context
 * class loader, and a version that could not open answers 503 with the reason.
 */
class AppSwitchTest {
  @TempDir Path app;

  @Test
  void aRequest_runsWithItsVersionsClassLoader_andTheCallersComesBack() throws Exception {
    try (AppClasses classes = AppClasses.of(app, AppSwitchTest.class.getClassLoader())) {
      AtomicReference<ClassLoader> seen = new AtomicReference<>();
      AppSwitch apps =
          new AppSwitch(
              new AppSwitch.Version(
                  null,
                  classes,
                  (request, env) -> {
                    seen.set(Thread.currentThread().getContextClassLoader());
                    return Response.ok("ok");
                  },
                  null));
      ClassLoader mine = new ClassLoader() {};
      Thread.currentThread().setContextClassLoader(mine);
      try {
        assertThat(apps.fetch(Request.get("http://127.0.0.1/"), null).text()).isEqualTo("ok");
        assertThat(seen.get()).isSameAs(classes.loader());
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(mine);
      } finally {
        Thread.currentThread().setContextClassLoader(null);
      }
    }
  }

  @Test
  void aVersionThatCouldNotOpen_answers503WithTheReason() throws Exception {
    try (AppClasses classes = AppClasses.of(app, AppSwitchTest.class.getClassLoader())) {
      AppSwitch.Version old =
          new AppSwitch.Version(null, classes, (request, env) -> Response.ok("old"), null);
      AppSwitch apps =
          new AppSwitch(
              AppSwitch.Version.failed(old, new IllegalStateException("the disk is gone")));

      Response answer = apps.fetch(Request.get("http://127.0.0.1/anything"), null);

      assertThat(answer.status()).isEqualTo(503);
      assertThat(answer.text())
          .isEqualTo(
              "dobj dev could not reload the app, nor open its previous version again: the disk"
                  + " is gone\n");
      assertThat(apps.current().runtime()).isNull();
    }
  }
}
