package com.acme.shop.saga;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.datagen.DataGenJob;
import com.acme.shop.datagen.OrderEventsGenerator;
import com.acme.shop.flink.JobEnvironment;
import com.acme.shop.json.Json;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.model.OrderCommand;
import com.acme.shop.model.OrderCommandType;
import com.acme.shop.model.OrderEvent;
import com.acme.shop.model.OrderEventType;
import com.acme.shop.model.PaymentLatency;
import com.acme.shop.model.SagaState;
import com.acme.shop.model.SagaStatus;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.TopicIO;
import com.acme.shop.testing.TopicIO.Received;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * datagen → Kafka → order-saga, both on the MiniCluster against a real broker, with every saga path
 * planted. Every saga's states, every command and every latency record are expected as {@link
 * ExpectedSagas} computes them from what datagen actually wrote.
 */
class GeneratedDataIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  static final int EVENTS = 20_000;

  @Test
  void everySagaEndsAsTheRulesSayAndAReplayWritesTheSame() throws Exception {
    SagaRuns.Topics topics = SagaRuns.Topics.unique().create(KAFKA.topics(), 4, 2);
    generate(topics.events(), EVENTS);

    SagaRuns.runBounded(FLINK, SagaRuns.params(KAFKA, topics, "--bounded"));

    List<Received> records = KAFKA.topics().readAll(topics.events());
    assertThat(records).hasSize(EVENTS);
    List<OrderEvent> events = valid(records);
    int invalid = records.size() - events.size();
    assertThat(invalid).isBetween(100, 300);
    ExpectedSagas expected = ExpectedSagas.of(events);
    printPaths(expected);
    assertEveryPathIsPlanted(expected);
    long redelivered = events.size() - events.stream().map(OrderEvent::eventId).distinct().count();
    assertThat(redelivered).isGreaterThan(10);
    Map<String, List<OrderEvent>> byOrder =
        events.stream().collect(Collectors.groupingBy(OrderEvent::orderId));
    assertThat(byOrder.values())
        .filteredOn(
            list ->
                list.get(0).type() != OrderEventType.ORDER_PLACED
                    && list.stream().anyMatch(e -> e.type() == OrderEventType.ORDER_PLACED))
        .hasSizeGreaterThan(10);

    // Each saga's states in order (one order's states share a partition), every command, every
    // latency record.
    assertThat(statesByOrder(SagaRuns.read(KAFKA, topics.sagas(), SagaState.class)))
        .isEqualTo(expected.states);
    List<OrderCommand> commands = SagaRuns.read(KAFKA, topics.commands(), OrderCommand.class);
    assertThat(commands).containsExactlyInAnyOrderElementsOf(expected.commands);
    assertThat(commands).extracting(OrderCommand::commandId).doesNotHaveDuplicates();
    assertThat(SagaRuns.read(KAFKA, topics.latency(), PaymentLatency.class))
        .containsExactlyInAnyOrderElementsOf(expected.latencies);

    // Dead letters: the records datagen broke, and one per event type of each order never placed.
    List<DeadLetter> dead = SagaRuns.read(KAFKA, topics.dlq(), DeadLetter.class);
    List<OrderEvent> unplaced =
        dead.stream()
            .filter(d -> d.error().startsWith("no OrderPlaced"))
            .map(d -> Json.parse(d.value().getBytes(StandardCharsets.UTF_8), OrderEvent.class))
            .toList();
    assertThat(unplaced).containsExactlyInAnyOrderElementsOf(expected.neverPlaced);
    assertThat(dead).hasSize(invalid + expected.neverPlaced.size());

    // Late for the payment-latency join can only be a slow order's placement, 16 minutes back;
    // whether it is depends on how far the partitions were read when it came.
    List<OrderEvent> late = SagaRuns.read(KAFKA, topics.late(), OrderEvent.class);
    assertThat(late)
        .allMatch(e -> e.orderId().startsWith(OrderEventsGenerator.SLOW_ORDER_PREFIX))
        .doesNotHaveDuplicates();

    // A replay of the same input writes the same sagas and the same commands, ids included.
    SagaRuns.Topics replay = topics.replay().createOutputs(KAFKA.topics(), 2);
    SagaRuns.runBounded(FLINK, SagaRuns.params(KAFKA, replay, "--bounded"));
    assertThat(statesByOrder(SagaRuns.read(KAFKA, replay.sagas(), SagaState.class)))
        .isEqualTo(expected.states);
    assertThat(SagaRuns.read(KAFKA, replay.commands(), OrderCommand.class))
        .containsExactlyInAnyOrderElementsOf(commands);
  }

  /** datagen's order events, {@code count} of them, 100 ms of event time apart. */
  static void generate(String topic, int count) throws Exception {
    JobParameters gen =
        DataGenJob.parameters(
                "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--topics", "order-events",
                "--topic.order-events", topic,
                "--count", Integer.toString(count),
                "--rate", "0",
                "--time-step", "100ms",
                "--seed", "19",
                "--start-time", "2026-11-23T09:00:00Z",
                "--fraud-share", "0.3",
                "--bad-share", "0.01",
                "--checkpoint-interval", "500ms",
                "--job-name", TopicIO.unique("datagen"))
            .orElseThrow();
    // "Now" only has to be after --start-time, which datagen checks; the data never depends on it.
    JobEnvironment.run(
        Optional.of(gen), DataGenJob.topology(Instant.parse("2026-11-24T00:00:00Z")));
  }

  /** The valid events, in partition then offset order: each order's in the order written. */
  static List<OrderEvent> valid(List<Received> records) {
    List<OrderEvent> valid = new ArrayList<>();
    for (Received r : records) {
      try {
        valid.add(Json.parse(r.value().getBytes(StandardCharsets.UTF_8), OrderEvent.class));
      } catch (IllegalArgumentException | NullPointerException e) {
        // a planted bad record
      }
    }
    return valid;
  }

  static Map<String, List<SagaState>> statesByOrder(List<SagaState> states) {
    Map<String, List<SagaState>> byOrder = new LinkedHashMap<>();
    states.forEach(s -> byOrder.computeIfAbsent(s.orderId(), o -> new ArrayList<>()).add(s));
    return new TreeMap<>(byOrder);
  }

  static void printPaths(ExpectedSagas expected) {
    Map<String, Long> commands =
        expected.commands.stream()
            .collect(
                Collectors.groupingBy(c -> c.type().wire(), TreeMap::new, Collectors.counting()));
    Map<String, Long> ends =
        expected.states.values().stream()
            .map(s -> s.get(s.size() - 1).state().wire())
            .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
    System.out.printf(
        "Expected sagas: %s, commands: %s, latencies: %d, never placed: %d%n",
        ends, commands, expected.latencies.size(), expected.neverPlaced.size());
  }

  /** The planted paths are all there, so the exact comparison covers each of them. */
  static void assertEveryPathIsPlanted(ExpectedSagas expected) {
    Map<String, List<SagaState>> states = expected.states;
    assertThat(ends(states, SagaStatus.COMPLETED)).isGreaterThan(100);
    assertThat(ends(states, SagaStatus.CANCELLED)).isGreaterThan(20);
    assertThat(ends(states, SagaStatus.TIMED_OUT)).isGreaterThan(20);
    // Compensated after the end: a refund or release later than the cancellation or time-out.
    long lateCompensations =
        expected.commands.stream()
            .filter(c -> c.type() != OrderCommandType.CANCEL_ORDER)
            .filter(
                c ->
                    expected.commands.stream()
                        .anyMatch(
                            k ->
                                k.orderId().equals(c.orderId())
                                    && k.type() == OrderCommandType.CANCEL_ORDER
                                    && k.eventTime().isBefore(c.eventTime())))
            .count();
    assertThat(lateCompensations).isGreaterThan(10);
    assertThat(states.keySet())
        .filteredOn(o -> o.startsWith(OrderEventsGenerator.SLOW_ORDER_PREFIX))
        .hasSizeGreaterThan(10)
        .allMatch(o -> last(states, o).state() == SagaStatus.TIMED_OUT);
    assertThat(expected.neverPlaced).hasSizeGreaterThan(10);
  }

  static long ends(Map<String, List<SagaState>> states, SagaStatus status) {
    return states.keySet().stream().filter(o -> last(states, o).state() == status).count();
  }

  static SagaState last(Map<String, List<SagaState>> states, String order) {
    List<SagaState> list = states.get(order);
    return list.get(list.size() - 1);
  }
}
