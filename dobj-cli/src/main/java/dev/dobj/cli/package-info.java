/**
 * The {@code dobj} command and the composition root of a local server: {@link dev.dobj.cli.Main}
 * parses the command line (picocli), {@code DobjToml} reads and checks an app's {@code dobj.toml}
 * (jackson's TOML parser), {@code AppClasses} loads the app's classes, and {@code DevServer} wires
 * the runtime, its storage ({@code SqliteStorageEngine} on the data directory, locked by {@code
 * DataDirectoryLock}) and the HTTP front together. May import every dobj module.
 *
 * <p>Invariants it owns: only this package prints (stdout for what the user asked for, stderr for
 * errors); errors the user can fix are one line naming the cause (a {@code dobj.toml} error names
 * its key and line) and exit with code 2, failures to run exit with 1, and nothing else ends the
 * process except SIGINT or SIGTERM, which stop the server cleanly (HTTP first, then the runtime,
 * which closes the storage) and exit with 130 or 143; a second signal, or a stop still running
 * after its limit, halts the process at once ({@code SignalShutdown}).
 */
package dev.dobj.cli;
