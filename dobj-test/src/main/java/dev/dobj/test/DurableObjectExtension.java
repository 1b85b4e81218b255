package dev.dobj.test;

import dev.dobj.DurableObjectNamespace;
import dev.dobj.DurableObjectStub;
import dev.dobj.Env;
import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.runtime.time.ManualClock;
import dev.dobj.spi.storage.Durability;
import dev.dobj.sqlite.SqliteStorageEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link DurableObjectTest}: one runtime per test, kept in the test
 * method's extension store (closed, and its data directory deleted, when the test's context closes,
 * after {@code @AfterEach}). Stateless itself; JUnit may share one instance across tests and
 * threads.
 */
public final class DurableObjectExtension implements BeforeEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(DurableObjectExtension.class);

  /** Made by JUnit from {@link DurableObjectTest}. */
  public DurableObjectExtension() {}

  @Override
  public void beforeEach(ExtensionContext context) throws IllegalAccessException {
    TestRuntime runtime = runtime(context);
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      for (Class<?> c = instance.getClass(); c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          Bound bound = f.getAnnotation(Bound.class);
          if (bound == null || Modifier.isStatic(f.getModifiers())) {
            continue;
          }
          Object value =
              runtime.bound(
                  bound,
                  f.getType(),
                  f.getGenericType(),
                  "field " + c.getName() + "." + f.getName());
          f.setAccessible(true);
          f.set(instance, value);
        }
      }
    }
  }

  /**
   * Constructors of the test class get the test method's runtime: with the default lifecycle (an
   * instance per test) a constructor parameter is resolved in the test method's context.
   */
  @Override
  public ExtensionContextScope getTestInstantiationExtensionContextScope(
      ExtensionContext rootContext) {
    return ExtensionContextScope.TEST_METHOD;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return parameter.isAnnotated(Bound.class)
        || type == DurableObjectRuntime.class
        || type == ManualClock.class
        || type == Env.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException(
          "@DurableObjectTest injects "
              + parameter.getParameter()
              + " only into test methods, @BeforeEach/@AfterEach methods and constructors of a test"
              + " class with an instance per test (each test has its own runtime), not into "
              + parameter.getDeclaringExecutable()
              + ": with @TestInstance(PER_CLASS), or in a @BeforeAll/@AfterAll method, there is no"
              + " test to take a runtime from");
    }
    TestRuntime runtime = runtime(context);
    Class<?> type = parameter.getParameter().getType();
    Optional<Bound> bound = parameter.findAnnotation(Bound.class);
    if (bound.isPresent()) {
      return runtime.bound(
          bound.get(),
          type,
          parameter.getParameter().getParameterizedType(),
          "parameter " + parameter.getParameter() + " of " + parameter.getDeclaringExecutable());
    }
    if (type == DurableObjectRuntime.class) {
      return runtime.runtime;
    }
    if (type == Env.class) {
      return runtime.runtime.env();
    }
    if (runtime.clock == null) {
      throw new ParameterResolutionException(
          "No ManualClock to inject into "
              + parameter.getDeclaringExecutable()
              + ": the test class says @DurableObjectTest(systemClock = true)");
    }
    return runtime.clock;
  }

  private static TestRuntime runtime(ExtensionContext context) {
    DurableObjectTest config =
        context
            .getTestClass()
            .flatMap(DurableObjectExtension::config)
            .orElseThrow(
                () ->
                    new ExtensionConfigurationException(
                        "DurableObjectExtension needs @DurableObjectTest on the test class ("
                            + context.getTestClass().map(Class::getName).orElse("none")
                            + ")"));
    return context
        .getStore(STORE)
        .getOrComputeIfAbsent(TestRuntime.class, k -> TestRuntime.start(config), TestRuntime.class);
  }

  /** The annotation on {@code c} or, for a {@code @Nested} class, on an enclosing class. */
  private static Optional<DurableObjectTest> config(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      DurableObjectTest t = k.getAnnotation(DurableObjectTest.class);
      if (t != null) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** One test's runtime, its clock and its data directory; closed by the store. */
  static final class TestRuntime implements AutoCloseable {
    final DurableObjectRuntime runtime;
    final ManualClock clock;
    final Path dataDirectory;

    private TestRuntime(DurableObjectRuntime runtime, ManualClock clock, Path dataDirectory) {
      this.runtime = runtime;
      this.clock = clock;
      this.dataDirectory = dataDirectory;
    }

    static TestRuntime start(DurableObjectTest config) {
      Path data;
      try {
        data = Files.createTempDirectory("dobj-test-");
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create a data directory for the test", e);
      }
      DurableObjectRuntime.Builder b = DurableObjectRuntime.builder();
      for (DurableObjectTest.Binding binding : config.bindings()) {
        String key = binding.uniqueKey().isEmpty() ? binding.name() : binding.uniqueKey();
        b.bind(binding.name(), binding.type(), key);
      }
      for (String v : config.vars()) {
        int eq = v.indexOf('=');
        if (eq <= 0) {
          throw new ExtensionConfigurationException(
              "@DurableObjectTest vars must be NAME=value, got \"" + v + "\"");
        }
        b.var(v.substring(0, eq), v.substring(eq + 1));
      }
      ManualClock clock = config.systemClock() ? null : new ManualClock();
      if (clock != null) {
        b.clock(clock);
      }
      if (config.idleTimeoutMillis() > 0) {
        b.idleTimeout(Duration.ofMillis(config.idleTimeoutMillis()));
      }
      SqliteStorageEngine.Builder storage =
          SqliteStorageEngine.builder(data).durability(Durability.OS);
      if (clock != null) {
        storage.clock(clock); // bookmarks for a time follow the test's clock, as alarms do
      }
      SqliteStorageEngine engine = storage.build();
      try {
        return new TestRuntime(b.storage(engine).build(), clock, data);
      } catch (RuntimeException e) {
        engine.close();
        delete(data);
        throw e;
      }
    }

    /** The namespace or stub a {@link Bound} field or parameter of {@code type} asks for. */
    Object bound(Bound bound, Class<?> type, Type generic, String where) {
      boolean stub = type == DurableObjectStub.class;
      if (!stub && type != DurableObjectNamespace.class) {
        throw new ParameterResolutionException(
            "@Bound goes on a DurableObjectNamespace<T> or DurableObjectStub<T>, not on the "
                + type.getName()
                + " of "
                + where);
      }
      Class<?> rpc = typeArgument(generic, where);
      DurableObjectNamespace<?> ns = runtime.env().namespace(bound.value(), rpc);
      if (!stub) {
        return ns;
      }
      if (bound.name().isEmpty()) {
        throw new ParameterResolutionException(
            "@Bound on a stub needs the object's name, e.g. @Bound(value = \""
                + bound.value()
                + "\", name = \"a\"), on "
                + where);
      }
      return ns.getByName(bound.name());
    }

    private static Class<?> typeArgument(Type generic, String where) {
      if (generic instanceof ParameterizedType p
          && p.getActualTypeArguments()[0] instanceof Class<?> c
          && c.isInterface()) {
        return c;
      }
      throw new ParameterResolutionException(
          "@Bound needs the RPC interface as the type argument (e.g."
              + " DurableObjectNamespace<Counter>), got "
              + generic.getTypeName()
              + " on "
              + where);
    }

    @Override
    public void close() {
      try {
        runtime.close();
      } finally {
        delete(dataDirectory);
      }
    }

    private static void delete(Path dir) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot delete the test's data directory " + dir, e);
      }
    }
  }
}
