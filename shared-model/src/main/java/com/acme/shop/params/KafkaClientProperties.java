package com.acme.shop.params;

import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The Kafka client settings every client of a job gets: {@code --bootstrap-servers} and what {@code
 * --kafka.properties} names, typically a secured broker's {@code security.protocol}, {@code sasl.*}
 * and {@code ssl.*}. The file is read when the job is built, on the client, and travels inside the
 * job graph, so its secrets never appear among the program arguments (which the web UI shows);
 * Kafka's clients log such values as {@code [hidden]}.
 *
 * <p>The file may not set what the jobs set themselves for their guarantees: a transactional id or
 * an isolation level from a file would silently break exactly-once.
 */
public final class KafkaClientProperties {
  /** The settings the jobs own, and why. */
  static final Map<String, String> OWNED =
      Map.ofEntries(
          Map.entry("bootstrap.servers", "use --bootstrap-servers"),
          Map.entry("group.id", "the run name is the group, see --job-name"),
          Map.entry("client.id", "each client's id names the run and the topic"),
          Map.entry("isolation.level", "the jobs read read_committed"),
          Map.entry("enable.auto.commit", "offsets are committed at checkpoints"),
          Map.entry("auto.offset.reset", "use --starting-offsets"),
          Map.entry("key.deserializer", "the jobs read bytes"),
          Map.entry("value.deserializer", "the jobs read bytes"),
          Map.entry("key.serializer", "the jobs write bytes"),
          Map.entry("value.serializer", "the jobs write bytes"),
          Map.entry("transactional.id", "the sinks name their transactions after the run"),
          Map.entry("transaction.timeout.ms", "use --transaction-timeout"),
          Map.entry("enable.idempotence", "the sinks write idempotently"),
          Map.entry("acks", "the sinks write with acks=all"));

  private KafkaClientProperties() {}

  /** The settings for one client of the job: the file's, then the bootstrap servers. */
  public static Properties of(JobParameters params) {
    Properties props = new Properties();
    String file = params.get(CommonParams.KAFKA_PROPERTIES);
    if (file != null) {
      props.putAll(checked(file));
    }
    props.setProperty("bootstrap.servers", params.get(CommonParams.BOOTSTRAP_SERVERS));
    return props;
  }

  /**
   * The file's settings, refused with every key the jobs own that it sets.
   *
   * @throws IllegalArgumentException naming the file and the keys, never a value
   */
  static Properties checked(String file) {
    Properties props = PropertiesFile.load(CommonParams.KAFKA_PROPERTIES.name(), file);
    TreeSet<String> owned = new TreeSet<>();
    for (String key : props.stringPropertyNames()) {
      if (OWNED.containsKey(key)) {
        owned.add(key + " (" + OWNED.get(key) + ")");
      }
    }
    if (!owned.isEmpty()) {
      throw new IllegalArgumentException(
          "--"
              + CommonParams.KAFKA_PROPERTIES.name()
              + " "
              + file
              + " sets what the job sets itself: "
              + String.join(", ", owned));
    }
    return props;
  }
}
