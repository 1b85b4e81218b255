package dev.dobj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dobj.runtime.DurableObjectRuntime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where {@code dobj objects} and {@code dobj storage} run their {@link Inspect} request: if a
 * server holds the data directory's lock, on that server through its {@link AdminEndpoint} (so the
 * running app stays the only writer); else on a runtime of this process that takes the lock itself
 * for the duration of the command.
 */
final class InspectClient {
  private InspectClient() {}

  static JsonNode run(Path appDir, Optional<Path> dataOption, JsonNode request)
      throws CliException {
    AppConfig config = DobjToml.read(appDir);
    Path data =
        dataOption.map(p -> p.toAbsolutePath().normalize()).orElse(config.settings().dataDir());
    Optional<DataDirectoryLock> lock = DataDirectoryLock.acquireUnlessInUse(data);
    if (lock.isEmpty()) {
      return remote(data, request);
    }
    try (DataDirectoryLock held = lock.get();
        AppClasses classes = AppClasses.of(appDir, InspectClient.class.getClassLoader())) {
      DurableObjectRuntime.Builder builder = DurableObjectRuntime.builder();
      for (AppConfig.Binding binding : config.bindings()) {
        builder.bind(binding.name(), classes.objectClass(config, binding), binding.uniqueKey());
      }
      config.vars().forEach(builder::var);
      Thread current = Thread.currentThread();
      ClassLoader previous = current.getContextClassLoader();
      current.setContextClassLoader(classes.loader());
      try (DurableObjectRuntime runtime =
          builder.storage(config.settings().openStorage(data)).build()) {
        return Inspect.run(runtime, request);
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new CliException(CliException.FAILED, e.getMessage());
      } finally {
        current.setContextClassLoader(previous);
      }
    } catch (IOException e) {
      throw new CliException(CliException.FAILED, "cannot release " + data + ": " + e);
    }
  }

  private static JsonNode remote(Path data, JsonNode request) throws CliException {
    Path file = data.resolve(AdminEndpoint.FILE_NAME);
    JsonNode admin;
    try {
      admin = Inspect.JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new CliException(
          CliException.FAILED,
          "the data directory "
              + data
              + " is in use by a server without an admin endpoint (no readable "
              + file
              + "); stop it and run the command again");
    }
    HttpRequest post =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + admin.path("port").asInt() + "/inspect"))
            .timeout(Duration.ofSeconds(60))
            .header(AdminEndpoint.TOKEN_HEADER, admin.path("token").asText())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(request.toString()))
            .build();
    HttpResponse<String> response;
    try (HttpClient client = HttpClient.newHttpClient()) {
      response = client.send(post, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CliException(
          CliException.FAILED,
          "cannot reach the running server's admin endpoint (" + e + "); is it still running?");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(CliException.FAILED, "interrupted waiting for the running server");
    }
    JsonNode answer;
    try {
      answer = Inspect.JSON.readTree(response.body());
    } catch (IOException e) {
      throw new CliException(
          CliException.FAILED,
          "the admin endpoint answered " + response.statusCode() + " without JSON");
    }
    if (answer.hasNonNull("error")) {
      throw new CliException(CliException.FAILED, answer.get("error").asText());
    }
    return answer.get("result");
  }
}
