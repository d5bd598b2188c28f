/*
 * Creates the topics listed in a topics file, idempotently, in one JVM.
 *
 * Launched by scripts/kafka.sh as a single-file source program (Java 17):
 *   java -cp "$SHOP_LIB_DIR/kafka/*" scripts/tools/CreateTopics.java <bootstrap> <topics-file> [--timeout <seconds>]
 *
 * It first waits until the broker answers a real metadata request (DescribeCluster), up to the
 * timeout (default 60 s), so it doubles as the readiness check of a broker that is starting.
 *
 * Topics file: one topic a line, `name partitions [config=value,config=value]`; `#` starts a
 * comment. Replication factor 1 (a single-node broker). A topic that exists is left as it is;
 * one with fewer partitions than listed, or different listed configs, is reported.
 *
 * Exit codes: 0 done, 1 bad input or a failed creation, 2 broker not reachable in time.
 */

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

public class CreateTopics {

  record TopicSpec(String name, int partitions, Map<String, String> configs, int line) {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args[0].equals("--help") || args[0].equals("-h")) {
      System.err.println(
          "usage: java -cp '<kafka lib>/*' CreateTopics.java <bootstrap-servers> <topics-file>"
              + " [--timeout <seconds>]");
      System.exit(args.length < 2 ? 1 : 0);
    }
    String bootstrap = args[0];
    Path file = Path.of(args[1]);
    long timeoutSeconds = 60;
    for (int i = 2; i < args.length; i++) {
      if (args[i].equals("--timeout") && i + 1 < args.length) {
        timeoutSeconds = Long.parseLong(args[++i]);
      } else {
        fail(1, "unknown argument: " + args[i]);
      }
    }

    List<TopicSpec> specs = parse(file);

    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "shop-create-topics");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "100");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
    props.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "100");

    try (Admin admin = Admin.create(props)) {
      awaitBroker(admin, bootstrap, Duration.ofSeconds(timeoutSeconds));
      Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);

      List<TopicSpec> present = new ArrayList<>();
      List<NewTopic> missing = new ArrayList<>();
      for (TopicSpec spec : specs) {
        if (existing.contains(spec.name())) {
          present.add(spec);
        } else {
          missing.add(
              new NewTopic(spec.name(), spec.partitions(), (short) 1).configs(spec.configs()));
        }
      }

      int created = 0;
      int failed = 0;
      if (!missing.isEmpty()) {
        for (var entry : admin.createTopics(missing).values().entrySet()) {
          try {
            entry.getValue().get(30, TimeUnit.SECONDS);
            created++;
          } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
              continue; // created concurrently by someone else: fine
            }
            failed++;
            System.err.println(
                "CreateTopics: cannot create " + entry.getKey() + ": " + e.getCause());
          }
        }
      }
      int drifted = checkExisting(admin, present);

      System.out.printf(
          "topics: %d listed, %d created, %d already present%s%n",
          specs.size(),
          created,
          specs.size() - missing.size(),
          drifted > 0 ? " (" + drifted + " differ from " + file + ", see above)" : "");
      if (failed > 0) {
        fail(1, failed + " topic(s) could not be created");
      }
    }
  }

  /** Retries DescribeCluster until the broker lists itself, or the timeout passes. */
  static void awaitBroker(Admin admin, String bootstrap, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    while (System.nanoTime() < deadline) {
      try {
        var nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
        if (!nodes.isEmpty()) {
          return;
        }
      } catch (ExecutionException e) {
        last = e.getCause();
      } catch (java.util.concurrent.TimeoutException e) {
        last = e;
      }
      Thread.sleep(200);
    }
    fail(
        2,
        "no answer from a Kafka broker at "
            + bootstrap
            + " within "
            + timeout.toSeconds()
            + " s"
            + (last == null ? "" : " (last error: " + last + ")"));
  }

  /** Reports topics whose partition count or listed configs differ; changes nothing. */
  static int checkExisting(Admin admin, List<TopicSpec> present) throws Exception {
    if (present.isEmpty()) {
      return 0;
    }
    List<String> names = present.stream().map(TopicSpec::name).toList();
    Map<String, TopicDescription> descriptions =
        admin.describeTopics(names).allTopicNames().get(15, TimeUnit.SECONDS);
    List<ConfigResource> resources =
        names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
    Map<ConfigResource, Config> configs =
        admin.describeConfigs(resources).all().get(15, TimeUnit.SECONDS);
    int drifted = 0;
    for (TopicSpec spec : present) {
      int partitions = descriptions.get(spec.name()).partitions().size();
      if (partitions < spec.partitions()) {
        drifted++;
        System.err.printf(
            "CreateTopics: warning: %s has %d partitions, the topics file lists %d%n",
            spec.name(), partitions, spec.partitions());
      }
      Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
      for (var want : spec.configs().entrySet()) {
        ConfigEntry have = config.get(want.getKey());
        String value = have == null ? null : have.value();
        if (!want.getValue().equals(value)) {
          drifted++;
          System.err.printf(
              "CreateTopics: warning: %s has %s=%s, the topics file lists %s%n",
              spec.name(), want.getKey(), value, want.getValue());
        }
      }
    }
    return drifted;
  }

  static List<TopicSpec> parse(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      fail(1, "topics file not found: " + file);
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Map<String, TopicSpec> specs = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\\s+");
      int lineNo = i + 1;
      if (parts.length < 2 || parts.length > 3) {
        fail(1, file + ":" + lineNo + ": expected `name partitions [config=value,...]`");
      }
      String name = parts[0];
      if (!name.matches("[a-zA-Z0-9._-]{1,249}")) {
        fail(1, file + ":" + lineNo + ": invalid topic name '" + name + "'");
      }
      int partitions = 0;
      try {
        partitions = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        // reported below
      }
      if (partitions < 1) {
        fail(1, file + ":" + lineNo + ": partitions must be a positive number: " + parts[1]);
      }
      Map<String, String> configs = new LinkedHashMap<>();
      if (parts.length == 3) {
        for (String kv : parts[2].split(",")) {
          int eq = kv.indexOf('=');
          if (eq <= 0 || eq == kv.length() - 1) {
            fail(1, file + ":" + lineNo + ": expected config=value, got '" + kv + "'");
          }
          configs.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
      }
      if (specs.containsKey(name)) {
        fail(1, file + ":" + lineNo + ": topic " + name + " is listed twice");
      }
      specs.put(name, new TopicSpec(name, partitions, configs, lineNo));
    }
    if (specs.isEmpty()) {
      fail(1, "no topics in " + file);
    }
    return new ArrayList<>(specs.values());
  }

  static void fail(int code, String message) {
    System.err.println("CreateTopics: error: " + message);
    System.exit(code);
  }
}
