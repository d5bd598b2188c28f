/*
 * Prints the latest value of one key in a topic: for an upsert topic (a read model), the entity
 * as it stands there. Exit code 3 when the key has no record.
 *
 * Launched by scripts/balance-at.sh (and usable alone) as a single-file source program (Java 17):
 *   java -cp "$SHOP_LIB_DIR/kafka/*" scripts/tools/LatestValue.java <bootstrap> <topic> <key>
 *
 * It reads committed data only (isolation.level=read_committed), from the beginning of every
 * partition up to the end offsets as they are when it starts.
 */

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

public class LatestValue {
  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println(
          "usage: java -cp '<kafka lib>/*' LatestValue.java <bootstrap-servers> <topic> <key>");
      System.exit(1);
    }
    String topic = args[1];
    byte[] key = args[2].getBytes(StandardCharsets.UTF_8);
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      byte[] latest = null;
      boolean found = false;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          System.err.println("LatestValue: timed out reading " + topic);
          System.exit(2);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key() != null && java.util.Arrays.equals(r.key(), key)) {
            latest = r.value();
            found = true;
          }
        }
      }
      if (!found || latest == null) {
        System.exit(3);
      }
      System.out.println(new String(latest, StandardCharsets.UTF_8));
    }
  }
}
