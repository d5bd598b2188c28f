package com.acme.shop.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.acme.shop.json.Json;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.kafka.EventParser;
import com.acme.shop.kafka.KafkaSinks;
import com.acme.shop.kafka.KafkaSources;
import com.acme.shop.kafka.RejectedTopics;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.CustomerRow;
import com.acme.shop.model.PaymentTransaction;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.TopicIO;
import com.acme.shop.testing.TopicIO.Message;
import com.acme.shop.testing.TopicIO.Received;
import com.acme.shop.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Inputs read through {@link Input} and {@link Inputs} on a MiniCluster against a real broker:
 * several inputs of different types share one dead-letter and one late topic, and Debezium changes
 * are read like domain events.
 */
class ReadingInputsIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  static final String JOB = "reading-inputs";

  String clicks;
  String payments;
  String customers;
  String dlq;
  String late;

  @BeforeEach
  void topics() {
    clicks = TopicIO.unique("clicks");
    payments = TopicIO.unique("payments");
    customers = TopicIO.unique("customers");
    dlq = TopicIO.unique("dlq");
    late = TopicIO.unique("late");
    // One partition each: records, and so each input's watermark, come in the order written.
    KAFKA.topics().create(1, clicks, payments, customers, dlq, late);
  }

  JobParameters params() {
    String[] args = {
      "--bootstrap-servers",
      KAFKA.bootstrapServers(),
      "--starting-offsets",
      "earliest",
      "--bounded",
      "true",
      "--parallelism",
      "1",
      "--checkpoint-interval",
      "200ms",
      "--job-name",
      TopicIO.unique(JOB),
      "--topic.clickstream",
      clicks,
      "--topic.transactions",
      payments,
      "--topic.customers",
      customers,
      "--topic.dlq",
      dlq,
      "--topic.late",
      late
    };
    return JobParameters.parse(
            JOB,
            args,
            List.of(),
            List.of(
                Topics.CLICKSTREAM,
                Topics.TRANSACTIONS,
                Topics.CUSTOMERS,
                RejectedTopics.deadLetters(JOB),
                RejectedTopics.late(JOB)))
        .orElseThrow();
  }

  static StreamExecutionEnvironment environment(JobParameters params) {
    return JobEnvironment.configure(StreamExecutionEnvironment.getExecutionEnvironment(), params);
  }

  /** Runs the bounded job to its end and returns what {@code results} collected. */
  static List<String> runCollecting(DataStream<String> results) throws Exception {
    List<String> collected = new ArrayList<>();
    try (CloseableIterator<String> it = results.executeAndCollect(JOB)) {
      it.forEachRemaining(collected::add);
    }
    return collected;
  }

  static String click(String id, String time) {
    return """
        {"eventId":"%s","userId":"u1","sessionId":"s1","type":"page_view","page":"/home",\
        "productId":null,"eventTime":"2026-11-23T%sZ"}"""
        .formatted(id, time);
  }

  static String payment(String id, String time) {
    return """
        {"txnId":"%s","cardId":"c1","accountId":"a1","amount":12.50,"currency":"EUR",\
        "merchantId":"m1","merchantCategory":"grocery","country":"DE","channel":"pos",\
        "status":"approved","eventTime":"2026-11-23T%sZ"}"""
        .formatted(id, time);
  }

  @Test
  void everyInputsRejectedRecordsGoToTheJobsOneDeadLetterAndOneLateTopic() throws Exception {
    String lateClick = click("c3", "09:00:00.000");
    String latePayment = payment("p3", "09:00:00.000");
    KAFKA
        .topics()
        .write(
            clicks,
            List.of(
                Message.of("u1", click("c1", "10:00:00.000")),
                Message.of("u1", "not json"),
                Message.of("u1", click("c2", "10:00:10.000")),
                Message.of("u1", lateClick)));
    KAFKA
        .topics()
        .write(
            payments,
            List.of(
                Message.of("c1", payment("p1", "10:00:00.000")),
                Message.of("c1", payment("p-no-card", "10:00:05.000").replace("\"c1\"", "null")),
                Message.of("c1", payment("p2", "10:00:10.000")),
                Message.of("c1", latePayment)));

    JobParameters params = params();
    StreamExecutionEnvironment env = environment(params);
    Inputs inputs = new Inputs(env, params);
    Input<ClickEvent> clickInput =
        inputs.read(
            Topics.CLICKSTREAM,
            KafkaSources.parsed(params, Topics.CLICKSTREAM, EventParser.json(ClickEvent.class)));
    Input<PaymentTransaction> paymentInput =
        inputs.read(
            Topics.TRANSACTIONS,
            KafkaSources.parsed(
                params, Topics.TRANSACTIONS, EventParser.json(PaymentTransaction.class)));
    inputs.writeRejected(KafkaSinks.deadLetters(params), KafkaSinks.late(params));
    DataStream<String> onTime =
        clickInput
            .events()
            .map(ClickEvent::eventId)
            .returns(Types.STRING)
            .union(paymentInput.events().map(PaymentTransaction::txnId).returns(Types.STRING));

    assertThat(runCollecting(onTime)).containsExactlyInAnyOrder("c1", "c2", "p1", "p2");

    List<DeadLetter> deadLetters =
        KAFKA.topics().readAll(dlq).stream()
            .map(r -> Json.parse(r.value().getBytes(StandardCharsets.UTF_8), DeadLetter.class))
            .toList();
    assertThat(deadLetters).extracting(DeadLetter::job).containsOnly(JOB);
    assertThat(deadLetters)
        .extracting(DeadLetter::sourceTopic, DeadLetter::value)
        .containsExactlyInAnyOrder(
            tuple(clicks, "not json"),
            tuple(payments, payment("p-no-card", "10:00:05.000").replace("\"c1\"", "null")));
    assertThat(KAFKA.topics().readAll(late))
        .extracting(Received::key, Received::value)
        .containsExactlyInAnyOrder(tuple("u1", lateClick), tuple("c1", latePayment));
  }

  static String customerChange(String op, String before, String after, long committedAt) {
    return """
        {"before":%s,"after":%s,"source":{"db":"shop","schema":"public","table":"customers",\
        "txId":7,"lsn":1,"ts_ms":%d,"snapshot":"false"},"op":"%s","ts_ms":%d,"transaction":null}"""
        .formatted(before, after, committedAt, op, committedAt + 40);
  }

  static String customer(long id, String name) {
    return """
        {"id":%d,"email":"c%d@example.com","full_name":"%s","country":"DE","tier":"gold",\
        "updated_at":"2026-11-23T09:00:00Z"}"""
        .formatted(id, id, name);
  }

  @Test
  void debeziumChangesAreReadLikeDomainEventsAtTheirCommitTime() throws Exception {
    long t0 = Instant.parse("2026-11-23T09:00:00Z").toEpochMilli();
    String updateWithoutBefore = customerChange("u", "null", customer(2, "Bo B."), t0 + 3000);
    KAFKA
        .topics()
        .write(
            customers,
            List.of(
                Message.of("{\"id\":1}", customerChange("r", "null", customer(1, "Al"), t0)),
                Message.of("{\"id\":2}", customerChange("c", "null", customer(2, "Bo"), t0 + 1000)),
                Message.of(
                    "{\"id\":2}",
                    customerChange("u", customer(2, "Bo"), customer(2, "Bo B."), t0 + 2000)),
                Message.of("{\"id\":2}", updateWithoutBefore),
                Message.of("{\"id\":1}", customerChange("d", customer(1, "Al"), "null", t0 + 4000)),
                // Debezium's tombstone after the delete: skipped, not rejected.
                Message.of("{\"id\":1}", null)));

    JobParameters params = params();
    StreamExecutionEnvironment env = environment(params);
    Inputs inputs = new Inputs(env, params);
    DataStream<String> changes =
        inputs
            .read(
                Topics.CUSTOMERS,
                KafkaSources.parsed(
                    params, Topics.CUSTOMERS, EventParser.debezium(CustomerRow.class)))
            .events()
            .map(c -> c.op() + " " + Topics.CUSTOMERS.keyOf().key(c) + " " + c.eventTime())
            .returns(Types.STRING);
    inputs.writeRejected(KafkaSinks.deadLetters(params), KafkaSinks.late(params));

    assertThat(runCollecting(changes))
        .containsExactly(
            "READ {\"id\":1} 2026-11-23T09:00:00Z",
            "CREATE {\"id\":2} 2026-11-23T09:00:01Z",
            "UPDATE {\"id\":2} 2026-11-23T09:00:02Z",
            "DELETE {\"id\":1} 2026-11-23T09:00:04Z");
    List<Received> deadLetters = KAFKA.topics().readAll(dlq);
    assertThat(deadLetters).hasSize(1);
    DeadLetter deadLetter =
        Json.parse(deadLetters.get(0).value().getBytes(StandardCharsets.UTF_8), DeadLetter.class);
    assertThat(deadLetter.value()).isEqualTo(updateWithoutBefore);
    assertThat(deadLetter.error()).contains("before");
    assertThat(KAFKA.topics().readAll(late)).isEmpty();
  }
}
