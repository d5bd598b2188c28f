package com.acme.shop.cdc;

import com.acme.shop.json.Json;
import com.acme.shop.testing.LocalResources;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Kafka Connect with Debezium as a separate JVM, one distributed worker configured by {@code
 * scripts/conf/cdc-connect-worker.properties}, on the class path Maven wrote for the test. It can
 * be killed ({@code kill -9}) and started again on the same state; closing it always stops it.
 */
final class ConnectWorker implements AutoCloseable {
  private final Path dir;
  private final Path conf;
  private final Map<String, String> env;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();
  private Process process;
  private int starts;

  ConnectWorker(Path dir, Path conf, String bootstrapServers, int pgPort) {
    this.dir = dir;
    this.conf = conf;
    this.port = LocalResources.freePort();
    this.env =
        Map.of(
            "CDC_BOOTSTRAP_SERVERS",
            bootstrapServers,
            "CDC_CONNECT_GROUP",
            "cdc-it-" + port,
            "CDC_CONNECT_PORT",
            Integer.toString(port),
            "CDC_PG_HOST",
            "localhost",
            "CDC_PG_PORT",
            Integer.toString(pgPort));
  }

  /** Starts the worker process (again, after a kill). */
  void start() throws IOException {
    Files.createDirectories(dir);
    Path argFile = dir.resolve("java.args");
    String classpath = Files.readString(Path.of(System.getProperty("connect.classpath"))).trim();
    Files.writeString(argFile, "-cp \"" + classpath + "\"\n");
    Path log4j = dir.resolve("log4j2.properties");
    Files.writeString(
        log4j,
        """
        rootLogger.level=INFO
        rootLogger.appenderRef.file.ref=file
        appender.file.type=File
        appender.file.name=file
        appender.file.fileName=%s
        appender.file.layout.type=PatternLayout
        appender.file.layout.pattern=%%d{HH:mm:ss,SSS} %%-5p [%%t] %%c{1} - %%m%%n
        """
            .formatted(dir.resolve("connect.log")));
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dlog4j2.configurationFile=" + log4j,
                "@" + argFile,
                "org.apache.kafka.connect.cli.ConnectDistributed",
                conf.resolve("cdc-connect-worker.properties").toString()));
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(dir.resolve("connect-" + (++starts) + ".out").toFile());
    process = builder.start();
    // Not left running when the test JVM ends without closing it (but is killed itself).
    Process started = process;
    Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
  }

  /**
   * Runs {@code scripts/tools/ShopLoad.java}, the load of scripts/shop-load.sh, against the
   * database as a child JVM on the same class path (it needs the JDBC driver), to its end.
   *
   * @return what it printed last: statements, transactions, outbox events
   */
  static String shopLoad(Path dir, Path tools, int pgPort, int statements, long seed)
      throws Exception {
    Files.createDirectories(dir);
    Path argFile = dir.resolve("load.args");
    String classpath = Files.readString(Path.of(System.getProperty("connect.classpath"))).trim();
    Files.writeString(argFile, "-cp \"" + classpath + "\"\n");
    Path out = dir.resolve("load-" + seed + ".out");
    Process load =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "@" + argFile,
                tools.resolve("ShopLoad.java").toString(),
                "--port",
                Integer.toString(pgPort),
                "--rate",
                "0",
                "--statements",
                Integer.toString(statements),
                "--seed",
                Long.toString(seed))
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    try {
      if (!load.waitFor(10, TimeUnit.MINUTES) || load.exitValue() != 0) {
        throw new IllegalStateException("the shop load failed: " + Files.readString(out));
      }
    } finally {
      load.destroyForcibly();
    }
    List<String> lines = Files.readAllLines(out);
    return lines.get(lines.size() - 1);
  }

  /** {@code kill -9}: no shutdown, no last offset commit. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    process = null; // dead on purpose: waits until the next start do not fail on it
  }

  /** Sends one connector's configuration file to the worker (creating or updating it). */
  void configure(String fileName) throws Exception {
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(conf.resolve(fileName))) {
      props.load(reader);
    }
    Map<String, String> config = new LinkedHashMap<>();
    props.stringPropertyNames().forEach(k -> config.put(k, props.getProperty(k)));
    String name = config.get("name");
    HttpResponse<String> response =
        await(
            "the Connect REST API",
            Duration.ofMinutes(2),
            () -> {
              HttpResponse<String> r =
                  http.send(
                      HttpRequest.newBuilder(url("/connectors/" + name + "/config"))
                          .header("Content-Type", "application/json")
                          .PUT(HttpRequest.BodyPublishers.ofString(Json.text(config)))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              // Until the worker has joined its group and read its config topic, it answers
              // 404, 409 or 503: not yet.
              return r.statusCode() == 404 || r.statusCode() == 409 || r.statusCode() == 503
                  ? null
                  : r;
            });
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(
          "connector " + name + " refused: " + response.statusCode() + " " + response.body());
    }
  }

  /** The state of the connector and of each task, e.g. {@code RUNNING [RUNNING]}, or null. */
  String state(String name) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(url("/connectors/" + name + "/status")).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return null;
      }
      JsonNode status = Json.mapper().readTree(r.body());
      StringBuilder s = new StringBuilder(status.path("connector").path("state").asText());
      s.append(" [");
      for (JsonNode task : status.path("tasks")) {
        s.append(task.path("state").asText())
            .append(
                task.has("trace")
                    ? ": " + task.get("trace").asText().lines().findFirst().orElse("")
                    : "");
      }
      return s.append("]").toString();
    } catch (IOException | InterruptedException e) {
      return null;
    }
  }

  /** Waits until the connector and its one task run; fails at once when the task failed. */
  void awaitRunning(String name, Duration timeout) throws Exception {
    await(
        name + " RUNNING",
        timeout,
        () -> {
          String state = state(name);
          if (state != null && state.contains("FAILED")) {
            throw new AssertionError(name + " failed: " + state + "; see " + dir);
          }
          return "RUNNING [RUNNING]".equals(state) ? state : null;
        });
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  @FunctionalInterface
  interface Attempt<T> {
    T get() throws Exception;
  }

  /** The first non-null result of {@code attempt}, retried on exceptions until the timeout. */
  <T> T await(String what, Duration timeout, Attempt<T> attempt) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new IllegalStateException(
            "the Connect worker exited with " + process.exitValue() + "; see " + dir);
      }
      try {
        T result = attempt.get();
        if (result != null) {
          return result;
        }
      } catch (AssertionError e) {
        throw e;
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("timed out after " + timeout + " waiting for " + what, last);
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
