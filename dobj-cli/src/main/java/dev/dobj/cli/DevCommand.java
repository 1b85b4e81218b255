package dev.dobj.cli;

import dev.dobj.spi.storage.Durability;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dobj dev [APP_DIR] [--port N] [--host H] [--data DIR] [--durability fsync|os]
 * [--metrics-port N | --no-metrics] [--watch [--build COMMAND]]}: serves the app in {@code APP_DIR}
 * (its {@code dobj.toml}) until SIGINT or SIGTERM, its objects' storage in the data directory, and
 * its metrics in the Prometheus format on a loopback port of their own ({@link DevMetrics}). The
 * signal stops it as {@link DevServer#close()} describes, within {@link DevServer#STOP_LIMIT}; the
 * exit code is then 130 (SIGINT) or 143 (SIGTERM).
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {
      "Serve an app locally: its Worker over HTTP, its Durable Objects in this process.",
      "Reads APP_DIR/dobj.toml; loads classes from APP_DIR/target/classes and"
          + " APP_DIR/target/dependency/*.jar (again on each change with --watch). Stop with"
          + " Ctrl-C or SIGTERM (a second one exits at once)."
    })
final class DevCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "APP_DIR",
      defaultValue = ".",
      description = "The app's folder, holding dobj.toml (default: the current folder).")
  private Path appDir;

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "Port to listen on; 0 picks a free one (default: [dobj] port, or 8787).")
  private Integer port;

  @Option(
      names = "--host",
      paramLabel = "H",
      description = "Host or address to listen on (default: [dobj] host, or 127.0.0.1).")
  private String host;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Where storage lives (default: [dobj] data_dir, which is relative to APP_DIR;"
              + " else APP_DIR/.dobj).")
  private Path dataDir;

  @Option(
      names = "--durability",
      paramLabel = "fsync|os",
      description =
          "What a write survives before its result is sent: fsync (power loss) or os (a crash of"
              + " the process; faster) (default: [dobj] durability, or fsync).")
  private String durability;

  @Option(
      names = "--metrics-port",
      paramLabel = "N",
      description =
          "Port of the Prometheus metrics endpoint (http://127.0.0.1:N/metrics, loopback only);"
              + " 0 picks a free one (default: "
              + DevMetrics.DEFAULT_PORT
              + ", or 0 when --port is 0).")
  private Integer metricsPort;

  @Option(
      names = "--history-days",
      paramLabel = "N",
      description =
          "Days of history kept for point-in-time recovery (bookmarks); 0 keeps none (default:"
              + " [dobj] history_days, or 7).")
  private Integer historyDays;

  @Option(
      names = "--no-metrics",
      description = "Serve no metrics endpoint; the runtime then records no meters.")
  private boolean noMetrics;

  @Option(
      names = "--watch",
      description =
          "Reload the app when its classes, its jars or dobj.toml change (build it to see a change):"
              + " new requests wait, the objects start again on the same storage; a version that"
              + " cannot load is refused and the previous one keeps serving.")
  private boolean watch;

  @Option(
      names = "--build",
      paramLabel = "COMMAND",
      description =
          "With --watch: a shell command that builds the app, run when APP_DIR/pom.xml or a file"
              + " under APP_DIR/src/main changes; the reload follows once the classes change. Its"
              + " output goes to stderr. ./dobj passes one for the apps of its repository.")
  private String build;

  /** How often {@code --watch} looks at the app's files. */
  static final Duration WATCH_INTERVAL = Duration.ofMillis(500);

  @Spec private CommandSpec spec;

  private final Shutdown shutdown;

  DevCommand(Shutdown shutdown) {
    this.shutdown = shutdown;
  }

  @Override
  public Integer call() throws CliException {
    if (port != null && (port < 0 || port > 65535)) {
      throw new ParameterException(
          spec.commandLine(), "--port must be between 0 and 65535, got " + port);
    }
    if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
      throw new ParameterException(
          spec.commandLine(), "--metrics-port must be between 0 and 65535, got " + metricsPort);
    }
    if (metricsPort != null && noMetrics) {
      throw new ParameterException(
          spec.commandLine(), "--metrics-port and --no-metrics exclude each other; give one");
    }
    if (build != null && !watch) {
      throw new ParameterException(spec.commandLine(), "--build goes with --watch");
    }
    if (build != null && build.isBlank()) {
      throw new ParameterException(spec.commandLine(), "--build must not be blank");
    }
    if (host != null && host.isBlank()) {
      throw new ParameterException(spec.commandLine(), "--host must not be blank");
    }
    if (historyDays != null && historyDays < 0) {
      throw new ParameterException(
          spec.commandLine(), "--history-days must be 0 or more, got " + historyDays);
    }
    Optional<Durability> durabilityOption = Optional.empty();
    if (durability != null) {
      durabilityOption = AppConfig.durability(durability);
      if (durabilityOption.isEmpty()) {
        throw new ParameterException(
            spec.commandLine(), "--durability must be fsync or os, got " + durability);
      }
    }
    AppConfig config = withOptions(DobjToml.read(appDir), durabilityOption);
    AppConfig.Settings settings = config.settings();
    PrintWriter out = spec.commandLine().getOut();

    DevServer server;
    AppClasses classes = AppClasses.of(appDir, DevCommand.class.getClassLoader());
    try {
      DevMetrics metrics = noMetrics ? null : DevMetrics.start(metricsPort(settings));
      server = DevServer.start(config, classes, metrics, watch);
    } catch (CliException | RuntimeException e) {
      classes.closeQuietly(e);
      throw e;
    }
    String url = server.url().toString();
    out.println(
        "dobj dev: serving "
            + config.name()
            + " on "
            + url.substring(0, url.length() - 1)
            + " (data: "
            + display(settings.dataDir())
            + ", durability: "
            + AppConfig.durabilityName(settings.durability())
            + server.metricsUrl().map(m -> ", metrics: " + m).orElse("")
            + ")");
    out.flush();
    ScheduledExecutorService watcher = watch ? watch(server, durabilityOption) : null;
    return shutdown.awaitThen(
        "dobj dev",
        DevServer.STOP_LIMIT,
        () -> {
          if (watcher != null) {
            watcher.shutdownNow(); // a build in progress is killed
            try {
              watcher.awaitTermination(DevServer.STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          server.close();
          out.println("dobj dev: stopped");
          out.flush();
        });
  }

  /**
   * Starts {@code --watch}: every {@link #WATCH_INTERVAL}, on a thread of its own, runs the build
   * if the sources changed, and reloads the app if its files changed.
   */
  private ScheduledExecutorService watch(DevServer server, Optional<Durability> durabilityOption) {
    AppWatcher files = AppWatcher.of(appDir);
    AppWatcher sources = build == null ? null : AppWatcher.sources(appDir);
    PrintWriter err = spec.commandLine().getErr();
    ScheduledExecutorService watcher =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("dobj-dev-watch").daemon().factory());
    watcher.scheduleWithFixedDelay(
        () -> {
          try {
            if (sources != null && sources.poll()) {
              runBuild();
            }
            if (files.poll()) {
              reload(server, durabilityOption);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping: shutdownNow interrupted the build
          } catch (RuntimeException e) {
            err.println("dobj dev: could not reload " + appDir + ": " + e);
            err.flush();
          }
        },
        WATCH_INTERVAL.toMillis(),
        WATCH_INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
    return watcher;
  }

  /**
   * Runs {@code --build}'s command with {@code sh -c} in the current folder, its output copied to
   * stderr; says on stdout that it builds, on stderr if it failed. Interrupted (dobj dev stops), it
   * kills the build.
   */
  private void runBuild() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    out.println("dobj dev: sources changed, building: " + build);
    out.flush();
    Process process;
    try {
      process = new ProcessBuilder("sh", "-c", build).redirectErrorStream(true).start();
    } catch (IOException e) {
      err.println("dobj dev: could not start the build: " + e.getMessage());
      err.flush();
      return;
    }
    try {
      process.getOutputStream().close(); // the build reads no input
    } catch (IOException e) {
      // nothing to close
    }
    Thread copier =
        Thread.ofVirtual()
            .name("dobj-dev-build-output")
            .start(
                () -> {
                  try (BufferedReader lines =
                      process.inputReader(java.nio.charset.Charset.defaultCharset())) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                      err.println(line);
                    }
                  } catch (IOException e) {
                    // the build was killed
                  }
                  err.flush();
                });
    int exit;
    try {
      exit = process.waitFor();
      copier.join();
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw e;
    }
    if (exit != 0) {
      err.println(
          "dobj dev: the build failed (exit " + exit + "); still serving the previous version");
      err.flush();
    }
  }

  /** Reads the app again and swaps it in; says what happened on stdout, or why not on stderr. */
  void reload(DevServer server, Optional<Durability> durabilityOption) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    try {
      AppConfig config = withOptions(DobjToml.read(appDir), durabilityOption);
      boolean settingsChanged = !config.settings().equals(server.config().settings());
      if (!server.reload(config, AppClasses.of(appDir, DevCommand.class.getClassLoader()))) {
        return; // stopping
      }
      out.println(
          "dobj dev: reloaded "
              + config.name()
              + " in "
              + Duration.ofNanos(System.nanoTime() - start).toMillis()
              + " ms"
              + (settingsChanged
                  ? "; the [dobj] settings changed in dobj.toml apply at the next start"
                  : ""));
      out.flush();
    } catch (CliException e) {
      err.println("dobj dev: not reloaded, still serving the previous version: " + e.getMessage());
      err.flush();
    }
  }

  /**
   * The metrics port: the option's, else {@code metrics_port} of {@code dobj.toml}, else the
   * default (0 when the app's port is 0).
   */
  private int metricsPort(AppConfig.Settings settings) {
    if (metricsPort != null) {
      return metricsPort;
    }
    if (settings.metricsPort().isPresent()) {
      return settings.metricsPort().getAsInt();
    }
    return settings.port() == 0 ? 0 : DevMetrics.DEFAULT_PORT;
  }

  /** The configuration with the command-line options in place of the file's settings. */
  private AppConfig withOptions(AppConfig config, Optional<Durability> durabilityOption) {
    AppConfig.Settings s = config.settings();
    AppConfig.Settings settings =
        new AppConfig.Settings(
            port != null ? port : s.port(),
            host != null ? host : s.host(),
            dataDir != null ? dataDir.toAbsolutePath().normalize() : s.dataDir(),
            durabilityOption.orElse(s.durability()),
            s.metricsPort(),
            s.commitLog(),
            historyDays != null ? historyDays : s.historyDays());
    return new AppConfig(
        config.name(),
        config.main(),
        config.mainLine(),
        config.bindings(),
        config.vars(),
        settings);
  }

  /** {@code path} relative to the current folder when it is inside it ({@code ./.dobj}). */
  static String display(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path here = Path.of("").toAbsolutePath();
    if (absolute.startsWith(here)) {
      Path relative = here.relativize(absolute);
      return relative.toString().isEmpty() ? "." : "./" + relative;
    }
    return absolute.toString();
  }
}
