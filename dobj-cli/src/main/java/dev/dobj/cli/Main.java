package dev.dobj.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code dobj} command. Exit codes: 0 done, 1 failed to run (e.g. the port is taken), 2 usage
 * or configuration error, 130 stopped by SIGINT, 143 stopped by SIGTERM. Errors are one line on
 * stderr, without a stack trace; only an unexpected failure (a bug) prints one.
 */
@Command(
    name = "dobj",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    synopsisSubcommandLabel = "COMMAND",
    description = "Durable Objects for the JVM.")
public final class Main implements Callable<Integer> {
  @Spec private CommandSpec spec;

  private Main() {}

  /** Runs the command and exits with its exit code. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(args, out, err, Shutdown.jvm(out, err)));
  }

  /** Runs the command with {@code args}; returns the exit code. */
  static int run(String[] args, PrintWriter out, PrintWriter err, Shutdown shutdown) {
    CommandLine cmd = new CommandLine(new Main());
    cmd.addSubcommand("dev", new DevCommand(shutdown));
    cmd.addSubcommand("objects", new ObjectsCommand());
    cmd.addSubcommand("storage", new StorageCommand());
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setParameterExceptionHandler(
        (ParameterException e, String[] ignored) -> {
          CommandLine failed = e.getCommandLine();
          String command = failed.getCommandSpec().qualifiedName();
          err.println(command + ": " + e.getMessage() + " (see '" + command + " --help')");
          err.flush();
          return CliException.USAGE;
        });
    cmd.setExecutionExceptionHandler(
        (Exception e, CommandLine failed, CommandLine.ParseResult parsed) -> {
          if (!(e instanceof CliException cli)) {
            throw e;
          }
          err.println(failed.getCommandSpec().qualifiedName() + ": " + cli.getMessage());
          if (cli.exitCode() == CliException.FAILED && cli.getCause() != null) {
            cli.getCause().printStackTrace(err);
          }
          err.flush();
          return cli.exitCode();
        });
    return cmd.execute(args);
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing COMMAND, e.g. dobj dev APP_DIR");
  }

  /** The version from the jar's manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"dobj " + (v == null ? "(development)" : v)};
    }
  }
}
