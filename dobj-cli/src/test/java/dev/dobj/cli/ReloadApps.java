package dev.dobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A small app for the reload tests, written and compiled at test time into {@code
 * APP_DIR/target/classes} (its package, {@code reloadapp}, is on no classpath of dobj's, so its
 * classes come from that folder only). Its Worker answers {@code GET /version} with the version it
 * was compiled as, {@code GET /count/<name>} with the version and the next value of a counter
 * object (KV storage, binding {@code TALLY}), and {@code GET /block} like {@code /count/blocked},
 * but only once the test releases {@link #release} (after counting down {@link #entered}).
 */
public final class ReloadApps {
  /** Counted down by {@code GET /block} when it starts waiting. */
  public static volatile CountDownLatch entered = new CountDownLatch(1);

  /** What {@code GET /block} waits for. */
  public static volatile CountDownLatch release = new CountDownLatch(1);

  private ReloadApps() {}

  /** Called by the app's {@code GET /block}. */
  public static void block() throws InterruptedException {
    entered.countDown();
    if (!release.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the test never released GET /block");
    }
  }

  /** Resets the latches for a new test. */
  static void reset() {
    entered = new CountDownLatch(1);
    release = new CountDownLatch(1);
  }

  /**
   * Writes {@code dobj.toml} ({@code [dobj]} port 0, data in {@code data/}, then {@code extraToml})
   * and compiles the app as {@code version} into {@code appDir/target/classes}.
   */
  static void write(Path appDir, String version, String extraToml) throws IOException {
    write(appDir, version, extraToml, "DurableObjectState ctx, Env env", "ctx, env");
  }

  /**
   * As {@link #write(Path, String, String)}, with a counter object whose only constructor takes
   * {@code parameters} (which the runtime refuses unless they are {@code (DurableObjectState,
   * Env)}) and passes {@code superArguments} on.
   */
  static void write(
      Path appDir, String version, String extraToml, String parameters, String superArguments)
      throws IOException {
    Files.createDirectories(appDir);
    Files.writeString(
        appDir.resolve(DobjToml.FILE_NAME),
        """
        name = "reloadapp"
        main = "reloadapp.App"

        [[durable_objects.bindings]]
        name = "TALLY"
        class_name = "TallyObject"

        [dobj]
        port = 0
        data_dir = "data"
        """
            + extraToml);
    Path sources = Files.createDirectories(appDir.resolve("src/reloadapp"));
    Files.writeString(
        sources.resolve("App.java"),
        """
        package reloadapp;

        import dev.dobj.Env;
        import dev.dobj.Worker;
        import dev.dobj.fetch.Request;
        import dev.dobj.fetch.Response;

        public final class App implements Worker {
          @Override
          public Response fetch(Request request, Env env) throws Exception {
            String path = request.url().getPath();
            if (path.equals("/block")) {
              dev.dobj.cli.ReloadApps.block();
              long n = env.namespace("TALLY", Tally.class).getByName("blocked").call().add();
              return Response.ok("VERSION blocked " + n);
            }
            if (path.startsWith("/count/")) {
              long n = env.namespace("TALLY", Tally.class).getByName(path.substring(7)).call().add();
              return Response.ok("VERSION " + n);
            }
            return Response.ok("VERSION");
          }
        }
        """
            .replace("VERSION", version));
    Files.writeString(
        sources.resolve("Tally.java"),
        """
        package reloadapp;

        public interface Tally {
          long add();
        }
        """);
    Files.writeString(
        sources.resolve("TallyObject.java"),
        """
        package reloadapp;

        import dev.dobj.DurableObject;
        import dev.dobj.DurableObjectState;
        import dev.dobj.Env;

        public final class TallyObject extends DurableObject implements Tally {
          public TallyObject(PARAMETERS) {
            super(ARGUMENTS);
          }

          @Override
          public long add() {
            long next = ctx.storage().get("n", Long.class).orElse(0L) + 1;
            ctx.storage().put("n", next);
            return next;
          }
        }
        """
            .replace("PARAMETERS", parameters)
            .replace("ARGUMENTS", superArguments));
    Path classes = Files.createDirectories(appDir.resolve("target/classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int exit =
        javac.run(
            null,
            diagnostics,
            diagnostics,
            "-d",
            classes.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            sources.resolve("App.java").toString(),
            sources.resolve("Tally.java").toString(),
            sources.resolve("TallyObject.java").toString());
    assertThat(exit).as("javac: %s", diagnostics).isZero();
  }
}
