package com.acme.shop.e2e;

import com.acme.shop.testing.LocalResources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the project's scripts as a user would, with their own state directory and free ports, so a
 * broker or cluster left running by the demo is not touched and does not get in the way.
 */
final class Scripts {
  /** What a script printed and how it ended. */
  record Result(int exitCode, String stdout, String stderr) {
    Result orFail(String what) {
      if (exitCode != 0) {
        throw new AssertionError(
            what
                + " failed with exit code "
                + exitCode
                + "\nstdout:\n"
                + stdout
                + "\nstderr:\n"
                + stderr);
      }
      return this;
    }
  }

  private final Path root;
  private final Map<String, String> environment = new HashMap<>();

  Scripts(Path root, Path localDir) {
    this.root = root;
    environment.put("SHOP_LOCAL_DIR", localDir.toString());
    // The jar cache is shared with the demo: it only ever gains complete directories.
    environment.put("SHOP_LIB_DIR", root.resolve(".local/lib").toString());
    for (String port :
        List.of(
            "KAFKA_PORT",
            "KAFKA_CONTROLLER_PORT",
            "FLINK_REST_PORT",
            "FLINK_RPC_PORT",
            "FLINK_JM_METRICS_PORT",
            "FLINK_TM_METRICS_PORT")) {
      environment.put(port, String.valueOf(freePortNotYetTaken()));
    }
  }

  /** A free port none of the other variables names: the scripts refuse two equal ports. */
  private int freePortNotYetTaken() {
    while (true) {
      int port = LocalResources.freePort();
      if (!environment.containsValue(String.valueOf(port))) {
        return port;
      }
    }
  }

  /**
   * {@code kafka.sh start} and {@code flink-cluster.sh start} in a fresh state directory named
   * after {@code prefix}: the stack a test class runs its jobs on.
   */
  static Scripts startStack(String prefix, Duration timeout) throws Exception {
    Scripts scripts = new Scripts(projectRoot(), Files.createTempDirectory(prefix));
    scripts.run(timeout, "kafka.sh", "start").orFail("kafka.sh start");
    scripts.run(timeout, "flink-cluster.sh", "start").orFail("flink-cluster.sh start");
    return scripts;
  }

  /**
   * Stops what {@link #startStack} started, checks that both scripts report it stopped and that no
   * process of the state directory is left, then deletes the directory.
   */
  void stopStack() throws Exception {
    Result flinkStop = run(Duration.ofMinutes(1), "flink-cluster.sh", "stop");
    Result kafkaStop = run(Duration.ofMinutes(1), "kafka.sh", "stop");
    try {
      flinkStop.orFail("flink-cluster.sh stop");
      kafkaStop.orFail("kafka.sh stop");
      if (run(Duration.ofSeconds(30), "flink-cluster.sh", "status").exitCode() != 3
          || run(Duration.ofSeconds(30), "kafka.sh", "status").exitCode() != 3) {
        throw new AssertionError("the stack still reports running after stop");
      }
      List<String> left = processesOf(localDir());
      if (!left.isEmpty()) {
        throw new AssertionError("processes left running: " + left);
      }
    } finally {
      LocalResources.deleteRecursively(localDir());
    }
  }

  /** The processes whose command line names {@code dir}: what the scripts started there. */
  static List<String> processesOf(Path dir) {
    String marker = dir.toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
        .toList();
  }

  Path localDir() {
    return Path.of(environment.get("SHOP_LOCAL_DIR"));
  }

  /** Overrides one environment variable of the scripts, e.g. a port. */
  Scripts with(String variable, String value) {
    environment.put(variable, value);
    return this;
  }

  static Path projectRoot() {
    return Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
  }

  String bootstrapServers() {
    return "localhost:" + environment.get("KAFKA_PORT");
  }

  String restUrl() {
    return "http://localhost:" + environment.get("FLINK_REST_PORT");
  }

  /** The Prometheus endpoint of the {@code jobmanager} or the {@code taskmanager}. */
  String metricsUrl(String process) {
    String variable =
        switch (process) {
          case "jobmanager" -> "FLINK_JM_METRICS_PORT";
          case "taskmanager" -> "FLINK_TM_METRICS_PORT";
          default -> throw new IllegalArgumentException(process);
        };
    return "http://localhost:" + environment.get(variable) + "/metrics";
  }

  Path jobJar(String job) {
    return root.resolve("jobs").resolve(job).resolve("target").resolve(job + ".jar");
  }

  Result run(Duration timeout, String script, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(root.resolve("scripts").resolve(script).toString());
    command.addAll(List.of(args));
    Path stdout = Files.createTempFile("script-", ".out");
    Path stderr = Files.createTempFile("script-", ".err");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(root.toFile())
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError(
            script
                + " "
                + String.join(" ", args)
                + " did not finish within "
                + timeout
                + "\nstderr so far:\n"
                + Files.readString(stderr, StandardCharsets.UTF_8));
      }
      Result result =
          new Result(
              process.exitValue(),
              Files.readString(stdout, StandardCharsets.UTF_8),
              Files.readString(stderr, StandardCharsets.UTF_8));
      // The scripts report their start-up times; keep them in the test report.
      System.out.printf(
          "$ %s %s -> exit %d%n%s%s",
          script, String.join(" ", args), result.exitCode(), result.stdout(), result.stderr());
      return result;
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }
}
