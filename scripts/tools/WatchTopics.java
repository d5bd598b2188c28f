/*
 * Prints the records that arrive on some topics from now on, one readable line each, until stopped.
 *
 * Launched by scripts/demo.sh (and usable alone) as a single-file source program (Java 17):
 *   java -cp "$SHOP_LIB_DIR/kafka/*" scripts/tools/WatchTopics.java [--per-second N] <bootstrap> <topic> ...
 *
 * --per-second N shows at most N records of each topic a second and counts the rest, so a busy
 * topic does not flood the terminal.
 *
 * It reads committed data only (isolation.level=read_committed), as every consumer of the jobs'
 * exactly-once output should, and starts at the end of each topic: what it shows is new. A JSON
 * value is shown as `field=value` pairs, with instants shortened to the time of day (UTC).
 */

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

public class WatchTopics {
  // Amounts are shown as written (0.00, not 0.0): decimals are read as BigDecimal, never double.
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .setNodeFactory(new JsonNodeFactory(true));
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  public static void main(String[] args) throws Exception {
    int perSecond = Integer.MAX_VALUE;
    if (args.length >= 2 && args[0].equals("--per-second")) {
      perSecond = Integer.parseInt(args[1]);
      args = java.util.Arrays.copyOfRange(args, 2, args.length);
    }
    if (args.length < 2 || args[0].equals("--help") || args[0].equals("-h")) {
      System.err.println(
          "usage: java -cp '<kafka lib>/*' WatchTopics.java [--per-second N] <bootstrap-servers>"
              + " <topic> [<topic> ...]");
      System.exit(args.length < 2 ? 1 : 0);
    }
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<String> topics = List.of(args).subList(1, args.length);
    int width = topics.stream().mapToInt(String::length).max().orElse(0);

    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      // Assign every partition and start at its end, without a consumer group to leave behind.
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        consumer
            .partitionsFor(topic, Duration.ofSeconds(30))
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);

      AtomicBoolean stopping = new AtomicBoolean();
      Thread main = Thread.currentThread();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    stopping.set(true);
                    consumer.wakeup();
                    try {
                      main.join(5_000);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
      System.out.println("watching " + String.join(", ", topics) + " (committed records only)");
      System.out.flush();
      String format = "%-" + width + "s  %s%n";
      Map<String, int[]> shownAndSkipped = new java.util.TreeMap<>();
      long second = System.currentTimeMillis() / 1000;
      try {
        while (!stopping.get()) {
          for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            int[] counts = shownAndSkipped.computeIfAbsent(record.topic(), t -> new int[2]);
            if (counts[0] < perSecond) {
              counts[0]++;
              System.out.printf(format, record.topic(), describe(record));
            } else {
              counts[1]++;
            }
          }
          if (System.currentTimeMillis() / 1000 != second) {
            second = System.currentTimeMillis() / 1000;
            shownAndSkipped.forEach(
                (topic, counts) -> {
                  if (counts[1] > 0) {
                    System.out.printf(format, topic, "... and " + counts[1] + " more");
                  }
                });
            shownAndSkipped.clear();
          }
          System.out.flush();
        }
      } catch (WakeupException e) {
        // Stopped by the shutdown hook.
      }
    }
  }

  private static String describe(ConsumerRecord<String, String> record) {
    if (record.value() == null) {
      return record.key() + "  (deleted)";
    }
    JsonNode value;
    try {
      value = JSON.readTree(record.value());
    } catch (Exception e) {
      return record.key() + "  " + record.value();
    }
    if (!value.isObject()) {
      return record.key() + "  " + record.value();
    }
    StringBuilder line = new StringBuilder();
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(field.getKey()).append('=').append(shorten(field.getValue()));
    }
    return line.toString();
  }

  private static String shorten(JsonNode node) {
    if (node.isTextual()) {
      String text = node.asText();
      if (text.length() >= 20 && text.endsWith("Z") && text.charAt(10) == 'T') {
        try {
          Instant instant = Instant.parse(text);
          LocalTime time = LocalTime.ofInstant(instant, ZoneOffset.UTC);
          return time.getNano() == 0 ? TIME.format(instant) : time.toString();
        } catch (DateTimeParseException e) {
          return text;
        }
      }
      return text;
    }
    return node.toString();
  }
}
