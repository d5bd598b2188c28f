package com.acme.shop.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) inside the test JVM, on
 * free ports and in a temporary directory, so it never meets a broker a demo left running.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private final Path dataDir;
  private final int port;
  private final KafkaRaftServer server;

  private EmbeddedKafka(Path dataDir, int port, KafkaRaftServer server) {
    this.dataDir = dataDir;
    this.port = port;
    this.server = server;
  }

  public static EmbeddedKafka start() {
    return start((port, controllerPort) -> new Properties());
  }

  /** Broker settings over the defaults, given the broker's plaintext and controller ports. */
  @FunctionalInterface
  interface Overrides {
    Properties of(int port, int controllerPort);
  }

  /** A broker with {@code overrides} over the defaults, e.g. more listeners (SecuredKafka). */
  static EmbeddedKafka start(Overrides overrides) {
    try {
      Path dataDir = Files.createTempDirectory("embedded-kafka-");
      int port = LocalResources.freePort();
      int controllerPort = LocalResources.freePort();
      Properties props = new Properties();
      props.put("process.roles", "broker,controller");
      props.put("node.id", "1");
      props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
      props.put(
          "listeners",
          "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
      props.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
      props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      props.put("controller.listener.names", "CONTROLLER");
      props.put("inter.broker.listener.name", "PLAINTEXT");
      props.put("log.dirs", dataDir.resolve("logs").toString());
      props.put("num.partitions", "1");
      props.put("offsets.topic.replication.factor", "1");
      props.put("offsets.topic.num.partitions", "4");
      props.put("transaction.state.log.replication.factor", "1");
      props.put("transaction.state.log.min.isr", "1");
      props.put("transaction.state.log.num.partitions", "4");
      props.put("share.coordinator.state.topic.replication.factor", "1");
      props.put("share.coordinator.state.topic.min.isr", "1");
      props.put("group.initial.rebalance.delay.ms", "0");
      props.put("auto.create.topics.enable", "false");
      // Time-based retention runs every second instead of every 5 minutes, so a test sees at once
      // what a broker would do to records stamped with an old time (they are deleted).
      props.put("log.retention.check.interval.ms", "1000");
      props.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
      props.putAll(overrides.of(port, controllerPort));

      Path config = dataDir.resolve("server.properties");
      try (var out = Files.newOutputStream(config)) {
        props.store(out, "embedded test broker");
      }
      format(config);
      KafkaRaftServer server =
          new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      server.startup();
      EmbeddedKafka kafka = new EmbeddedKafka(dataDir, port, server);
      new TopicIO(kafka.bootstrapServers()).awaitReady();
      return kafka;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void format(Path config) {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    String[] args = {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()};
    int rc = StorageTool.execute(args, new PrintStream(output, true, StandardCharsets.UTF_8));
    if (rc != 0) {
      throw new IllegalStateException("formatting the broker's storage failed: " + output);
    }
  }

  public String bootstrapServers() {
    return "localhost:" + port;
  }

  public TopicIO topics() {
    return new TopicIO(bootstrapServers());
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    try {
      LocalResources.deleteRecursively(dataDir);
    } catch (IOException e) {
      // Best effort: the directory is in the temporary folder.
    }
  }
}
