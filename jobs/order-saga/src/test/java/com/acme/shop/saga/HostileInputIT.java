package com.acme.shop.saga;

import static com.acme.shop.saga.SagaHarness.declined;
import static com.acme.shop.saga.SagaHarness.paid;
import static com.acme.shop.saga.SagaHarness.placed;
import static com.acme.shop.saga.SagaHarness.rejected;
import static com.acme.shop.saga.SagaHarness.reserved;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.json.Json;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.model.OrderCommand;
import com.acme.shop.model.PaymentLatency;
import com.acme.shop.model.SagaState;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.HostileRecords;
import com.acme.shop.testing.HostileRecords.Hostile;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.TopicIO.Message;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile records of every kind among valid orders, on a MiniCluster against a real broker: each
 * becomes exactly one dead letter with its reason, the sagas, commands and latencies are those of
 * the valid records alone, and the job finishes without a single restart.
 */
class HostileInputIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  /** A completed, a declined and a compensated order, and a payment for an order never placed. */
  static List<Message> orders() {
    return Stream.of(
            placed("o1", "09:00:00"),
            paid("o1", "09:00:10"),
            reserved("o1", "09:00:20"),
            placed("o2", "09:00:30"),
            declined("o2", "09:00:40"),
            placed("o3", "09:00:50"),
            paid("o3", "09:01:00"),
            rejected("o3", "09:01:10"),
            paid("ghost", "09:01:20"),
            placed("o4", "09:30:00"))
        .map(e -> Message.of(e.orderId(), Json.text(e)))
        .toList();
  }

  static Map<String, Hostile> hostile() {
    String good = Json.text(paid("h", "09:00:45"));
    return HostileRecords.around(good, "orderId", "eventId")
        .with(
            "unknown-type",
            "unknown OrderEventType 'OrderShipped'",
            json -> json.put("type", "OrderShipped"))
        .with(
            "negative-amount",
            "field 'amount' must not be negative",
            json -> json.put("amount", new java.math.BigDecimal("-1.00")))
        .with(
            "text-amount",
            "field 'amount' is not a decimal amount",
            json -> json.put("amount", "lots"))
        .records();
  }

  @Test
  void everyHostileRecordBecomesOneDeadLetterAndNothingElseChanges() throws Exception {
    SagaRuns.Topics clean = SagaRuns.Topics.unique().create(KAFKA.topics(), 1, 2);
    KAFKA.topics().write(clean.events(), orders());
    SagaRuns.runBounded(FLINK, SagaRuns.params(KAFKA, clean, "--bounded"));

    SagaRuns.Topics dirty = SagaRuns.Topics.unique().create(KAFKA.topics(), 1, 2);
    KAFKA.topics().write(dirty.events(), HostileRecords.interleave(orders(), hostile()));
    SagaRuns.runBounded(FLINK, SagaRuns.params(KAFKA, dirty, "--bounded"));

    List<SagaState> sagas = SagaRuns.read(KAFKA, clean.sagas(), SagaState.class);
    assertThat(sagas).extracting(SagaState::orderId).contains("o1", "o2", "o3", "o4");
    assertThat(SagaRuns.read(KAFKA, dirty.sagas(), SagaState.class))
        .containsExactlyInAnyOrderElementsOf(sagas);
    List<OrderCommand> commands = SagaRuns.read(KAFKA, clean.commands(), OrderCommand.class);
    assertThat(commands).hasSize(5);
    assertThat(SagaRuns.read(KAFKA, dirty.commands(), OrderCommand.class))
        .containsExactlyInAnyOrderElementsOf(commands);
    List<PaymentLatency> latencies = SagaRuns.read(KAFKA, clean.latency(), PaymentLatency.class);
    assertThat(latencies).extracting(PaymentLatency::orderId).containsExactlyInAnyOrder("o1", "o3");
    assertThat(SagaRuns.read(KAFKA, dirty.latency(), PaymentLatency.class))
        .containsExactlyInAnyOrderElementsOf(latencies);

    // The order never placed is a dead letter of both runs; the hostile records only of the
    // dirty one, each once, with its reason.
    List<DeadLetter> cleanDead = SagaRuns.read(KAFKA, clean.dlq(), DeadLetter.class);
    assertThat(cleanDead).extracting(DeadLetter::key).containsExactly("ghost");
    assertThat(cleanDead.get(0).error()).startsWith("no OrderPlaced for this order");
    List<DeadLetter> dead = SagaRuns.read(KAFKA, dirty.dlq(), DeadLetter.class);
    Map<String, Hostile> hostile = hostile();
    assertThat(dead)
        .extracting(DeadLetter::key)
        .containsExactlyInAnyOrderElementsOf(
            Stream.concat(hostile.keySet().stream(), Stream.of("ghost")).toList());
    Map<String, String> reasons =
        dead.stream().collect(Collectors.toMap(DeadLetter::key, DeadLetter::error));
    hostile.forEach((kind, h) -> assertThat(reasons.get(kind)).as(kind).startsWith(h.reason()));
    assertThat(dead).allSatisfy(d -> assertThat(d.sourceTopic()).isEqualTo(dirty.events()));
    assertThat(KAFKA.topics().readAll(dirty.late())).isEmpty();
    assertThat(SagaRuns.read(KAFKA, clean.sagas(), SagaState.class))
        .noneMatch(s -> s.orderId().equals("ghost"));
  }
}
