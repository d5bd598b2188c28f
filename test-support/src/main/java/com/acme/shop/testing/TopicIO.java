package com.acme.shop.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Creates topics, writes records and reads everything committed, against a real broker. */
public final class TopicIO {
  private static final AtomicInteger UNIQUE = new AtomicInteger();

  private final String bootstrapServers;

  public TopicIO(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /** A topic name no other test uses. */
  public static String unique(String base) {
    return base + "-" + UNIQUE.incrementAndGet() + "-" + System.nanoTime() % 100_000;
  }

  void awaitReady() {
    try (Admin admin = admin()) {
      admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("broker did not answer", e);
    }
  }

  public void create(int partitions, String... topics) {
    create(partitions, Map.of(), topics);
  }

  /** Creates topics with topic configs, e.g. {@code retention.ms=-1} for records of long ago. */
  public void create(int partitions, Map<String, String> configs, String... topics) {
    try (Admin admin = admin()) {
      admin
          .createTopics(
              Arrays.stream(topics)
                  .map(t -> new NewTopic(t, partitions, (short) 1).configs(configs))
                  .collect(Collectors.toList()))
          .all()
          .get(30, TimeUnit.SECONDS);
      awaitLeaders(admin, topics);
    } catch (Exception e) {
      throw new IllegalStateException("could not create " + Arrays.toString(topics), e);
    }
  }

  /**
   * Waits until every partition of {@code topics} has a leader. Created is not yet writable: a
   * producer writing at once once lost a whole partition's records ("Expiring 109 record(s) for
   * ...-0: 120001 ms has passed since batch creation"), which showed as a job losing output.
   */
  private static void awaitLeaders(Admin admin, String... topics) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      boolean ready;
      try {
        ready =
            admin
                .describeTopics(Arrays.asList(topics))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .values()
                .stream()
                .flatMap(d -> d.partitions().stream())
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty() && !p.isr().isEmpty());
      } catch (java.util.concurrent.ExecutionException e) {
        // Just created, the broker's metadata may not know the topic yet.
        if (!(e.getCause()
            instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
          throw e;
        }
        ready = false;
      }
      if (ready) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "no leader for every partition of " + Arrays.toString(topics));
      }
      Thread.sleep(50);
    }
  }

  /**
   * One record to write: key and value as UTF-8 text (either may be null), and its timestamp, or
   * null to let the producer stamp it with the clock.
   */
  public record Message(String key, String value, byte[] rawValue, Instant timestamp) {
    public Message(String key, String value, byte[] rawValue) {
      this(key, value, rawValue, null);
    }

    public static Message of(String key, String value) {
      return new Message(key, value, null);
    }

    public static Message raw(String key, byte[] value) {
      return new Message(key, null, value);
    }

    /** This record with an explicit timestamp, e.g. one the test's event times relate to. */
    public Message at(Instant timestamp) {
      return new Message(key, value, rawValue, timestamp);
    }

    byte[] valueBytes() {
      return rawValue != null ? rawValue : value == null ? null : utf8(value);
    }
  }

  /** Writes the messages stamped with the time of writing, as any producer does. */
  public void write(String topic, List<Message> messages) {
    write(topic, messages, null);
  }

  /**
   * Writes the messages with {@code timestamp} as their Kafka timestamp, so a test of what depends
   * on it, such as starting at an instant, does not depend on the wall clock. A timestamp older
   * than the topic's {@code retention.ms} may be deleted by the broker at any moment.
   */
  public void write(String topic, List<Message> messages, Instant timestamp) {
    Long millis = timestamp == null ? null : timestamp.toEpochMilli();
    List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent =
        new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (Message m : messages) {
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    topic,
                    null,
                    m.timestamp() != null ? Long.valueOf(m.timestamp().toEpochMilli()) : millis,
                    m.key() == null ? null : utf8(m.key()),
                    m.valueBytes())));
      }
      producer.flush();
      // A failed send shows only in its future: a test must not go on with part of its input.
      for (var future : sent) {
        future.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted writing to " + topic, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(
          "could not write every record to " + topic + ": " + e.getCause(), e.getCause());
    }
  }

  /** A record read back, with key and value as text. */
  public record Received(String topic, int partition, long offset, String key, String value) {}

  /** Every committed record of the topic, in partition then offset order. */
  public List<Received> readAll(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<Received> out = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("timed out reading " + topic);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(
              new Received(r.topic(), r.partition(), r.offset(), text(r.key()), text(r.value())));
        }
      }
      return out;
    }
  }

  /** The end offset of each partition of {@code topic}: where a fully read topic stops. */
  public Map<TopicPartition, Long> endOffsets(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      return consumer.endOffsets(partitions);
    }
  }

  /** The offsets {@code group} committed for the partitions of {@code topic} (0 where none). */
  public Map<TopicPartition, Long> committedOffsets(String group, String topic) {
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      Map<TopicPartition, Long> offsets = new java.util.HashMap<>();
      endOffsets(topic)
          .keySet()
          .forEach(
              tp -> offsets.put(tp, committed.containsKey(tp) ? committed.get(tp).offset() : 0L));
      return offsets;
    } catch (Exception e) {
      throw new IllegalStateException("could not read the offsets of group " + group, e);
    }
  }

  /**
   * Transactional ids starting with {@code prefix} whose transaction is still open on the broker
   * (ongoing or being committed or aborted): an exactly-once job that ended cleanly leaves none.
   */
  public List<String> openTransactions(String prefix) {
    try (Admin admin = admin()) {
      return admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
          .filter(t -> t.transactionalId().startsWith(prefix))
          .filter(
              t ->
                  t.state() == TransactionState.ONGOING
                      || t.state() == TransactionState.PREPARE_COMMIT
                      || t.state() == TransactionState.PREPARE_ABORT)
          .map(t -> t.transactionalId() + " " + t.state())
          .toList();
    } catch (Exception e) {
      throw new IllegalStateException("could not list transactions", e);
    }
  }

  public Admin admin() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return Admin.create(props);
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
