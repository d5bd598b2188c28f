package com.acme.shop.activity;

import static com.acme.shop.activity.ActivityMonitorIT.click;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.acme.shop.json.Json;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.JobRestarts;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.TopicIO;
import com.acme.shop.testing.TopicIO.Message;
import com.acme.shop.testing.TopicIO.Received;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One record of every hostile kind among valid clicks, on a MiniCluster against a real broker: each
 * becomes exactly one dead letter with a reason, the outputs are those of the valid clicks alone,
 * and the job finishes without a single restart (a failure here used to mean a restart loop).
 * Hostile money has no place in the clickstream; the unit tests of the model cover it.
 */
class HostileInputIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);

  /** A morning of clicks with a cart, a purchase and one late record, keyed by user. */
  static final List<Message> VALID =
      List.of(
          Message.of("u1", click("v1", "u1", "page_view", "/home", "09:00:01.000")),
          Message.of("u2", click("v2", "u2", "page_view", "/home", "09:00:02.000")),
          Message.of("u1", click("v3", "u1", "add_to_cart", "/cart", "42", "09:00:04.000")),
          Message.of("u3", click("v4", "u3", "page_view", "/p/1", "09:00:30.000")),
          Message.of("u2", click("v5", "u2", "page_view", "/p/1", "09:00:58.000")),
          Message.of("u1", click("v6", "u1", "page_view", "/home", "09:01:10.000")),
          Message.of("u2", click("v7", "u2", "add_to_cart", "/p/7", "7", "09:01:21.000")),
          Message.of("u3", click("v8", "u3", "page_view", "/home", "09:01:05.000")), // late
          Message.of("u2", click("v9", "u2", "purchase", "/checkout/done", "09:02:00.000")),
          Message.of("u3", click("v10", "u3", "page_view", "/p/1", "09:02:30.000")));

  static final String GOOD = click("h", "u9", "page_view", "/home", "09:00:40.000");

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static final byte[] BINARY_800_KB = new byte[800 * 1024];

  static {
    new Random(800).nextBytes(BINARY_800_KB);
  }

  /** A record of each hostile kind, keyed by its kind, with what its dead letter's reason says. */
  record Hostile(Message message, String reason) {}

  static final Map<String, Hostile> HOSTILE = new LinkedHashMap<>();

  static void hostile(String kind, String reason, Function<String, Message> message) {
    HOSTILE.put(kind, new Hostile(message.apply(kind), reason));
  }

  static {
    hostile(
        "invalid-utf8",
        "not valid JSON: Invalid UTF-8",
        key ->
            Message.raw(
                key, concat(utf8("{\"eventId\":\""), new byte[] {(byte) 0xC3, 0x28}, utf8("\"}"))));
    hostile(
        "truncated",
        "not valid JSON",
        key -> Message.of(key, GOOD.substring(0, GOOD.length() / 2)));
    hostile("not-an-object", "field '(root)' has the wrong type", key -> Message.of(key, "[1,2]"));
    hostile("json-null", "value is JSON null", key -> Message.of(key, "null"));
    hostile(
        "missing-field",
        "missing required field 'userId'",
        key -> Message.of(key, GOOD.replace("\"userId\":\"u9\",", "")));
    hostile(
        "wrong-type",
        "field 'eventId' has the wrong type",
        key -> Message.of(key, GOOD.replace("\"eventId\":\"h\"", "\"eventId\":{\"a\":1}")));
    hostile(
        "unknown-enum",
        "unknown ClickType 'hover'",
        key -> Message.of(key, GOOD.replace("page_view", "hover")));
    hostile(
        "year-300000000",
        "eventTime +300000000-01-01T00:00:00Z is after 9999-12-31T23:59:59.999Z",
        key ->
            Message.of(
                key, GOOD.replace("2026-11-23T09:00:40.000Z", "+300000000-01-01T00:00:00Z")));
    hostile(
        "before-epoch",
        "eventTime 1969-12-31T23:59:59Z is before 1970-01-01T00:00:00Z",
        key -> Message.of(key, GOOD.replace("2026-11-23T09:00:40.000Z", "1969-12-31T23:59:59Z")));
    hostile(
        "two-hours-ahead",
        "eventTime 2026-11-23T09:00:40Z is more than PT1H ahead of the record's timestamp"
            + " 2026-11-23T07:00:40Z",
        key -> Message.of(key, GOOD).at(Instant.parse("2026-11-23T07:00:40Z")));
    hostile(
        "binary-800kb",
        "record too large: " + (BINARY_800_KB.length + "binary-800kb".length()) + " bytes",
        key -> Message.raw(key, BINARY_800_KB));
    hostile(
        "valid-300kb",
        "record too large: ",
        key -> Message.of(key, GOOD.replace("/home", "/" + "x".repeat(300 * 1024))));
    hostile(
        "duplicate-field",
        "not valid JSON: Duplicate field 'userId'",
        key ->
            Message.of(
                key, GOOD.replace("\"userId\":\"u9\"", "\"userId\":\"u9\",\"userId\":\"u8\"")));
    hostile(
        "trailing-garbage",
        "not valid JSON: content after the end of the value",
        key -> Message.of(key, GOOD + "{}"));
  }

  /** The valid clicks with one hostile record after each of the first ones. */
  static List<Message> interleaved() {
    List<Message> out = new ArrayList<>();
    List<Hostile> hostile = List.copyOf(HOSTILE.values());
    for (int i = 0; i < Math.max(VALID.size(), hostile.size()); i++) {
      if (i < VALID.size()) {
        out.add(VALID.get(i));
      }
      if (i < hostile.size()) {
        out.add(hostile.get(i).message());
      }
    }
    return out;
  }

  @Test
  void everyHostileRecordBecomesOneDeadLetterAndNothingElseChanges() throws Exception {
    RunTopics clean = RunTopics.unique().create(KAFKA.topics(), 1, 2);
    KAFKA.topics().write(clean.clicks(), VALID);
    runBounded(clean);

    RunTopics hostile = RunTopics.unique().create(KAFKA.topics(), 1, 2);
    KAFKA.topics().write(hostile.clicks(), interleaved());
    runBounded(hostile);

    // The valid records' outputs, late records included, are exactly those of a run without the
    // hostile ones.
    for (Function<RunTopics, String> output :
        List.<Function<RunTopics, String>>of(
            RunTopics::pageViews,
            RunTopics::eventRates,
            RunTopics::sessions,
            RunTopics::carts,
            RunTopics::alerts,
            RunTopics::late)) {
      assertThat(keysAndValues(output.apply(hostile)))
          .as(output.apply(hostile))
          .containsExactlyInAnyOrderElementsOf(keysAndValues(output.apply(clean)));
    }
    assertThat(keysAndValues(clean.pageViews())).isNotEmpty();
    assertThat(keysAndValues(clean.late())).hasSize(1);
    assertThat(KAFKA.topics().readAll(clean.dlq())).isEmpty();

    List<DeadLetter> deadLetters =
        KAFKA.topics().readAll(hostile.dlq()).stream()
            .map(r -> Json.parse(utf8(r.value()), DeadLetter.class))
            .toList();
    assertThat(deadLetters)
        .extracting(DeadLetter::key)
        .containsExactlyInAnyOrderElementsOf(HOSTILE.keySet());
    Map<String, String> reasons =
        deadLetters.stream().collect(Collectors.toMap(DeadLetter::key, DeadLetter::error));
    HOSTILE.forEach((kind, h) -> assertThat(reasons.get(kind)).as(kind).startsWith(h.reason()));
    assertThat(deadLetters)
        .allSatisfy(dl -> assertThat(dl.sourceTopic()).isEqualTo(hostile.clicks()));

    DeadLetter binary =
        deadLetters.stream()
            .filter(dl -> dl.key().equals("binary-800kb"))
            .findFirst()
            .orElseThrow();
    assertThat(binary.valueEncoding()).isEqualTo(DeadLetter.BASE64);
    assertThat(binary.valueTruncated()).isTrue();
    assertThat(binary.valueBytes()).isEqualTo(BINARY_800_KB.length);
    assertThat(binary.valueSha256())
        .isEqualTo(
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BINARY_800_KB)));
  }

  /** Runs the job bounded to its end, failing at its first restart rather than looping on. */
  void runBounded(RunTopics topics) throws Exception {
    JobClient job =
        ActivityMonitorIT.start(
            ActivityMonitorIT.params(topics, TopicIO.unique("activity-monitor"), "--bounded"));
    long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
    try {
      while (true) {
        List<String> failures = JobRestarts.failures(FLINK, job.getJobID());
        if (!failures.isEmpty()) {
          fail("the job failed and restarted: " + failures.get(0));
        }
        try {
          job.getJobExecutionResult().get(1, TimeUnit.SECONDS);
          break;
        } catch (TimeoutException e) {
          if (System.nanoTime() > deadline) {
            fail("the job did not finish within " + JOB_TIMEOUT);
          }
        }
      }
    } finally {
      if (!job.getJobStatus().get().isGloballyTerminalState()) {
        job.cancel().get();
      }
    }
    assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.FINISHED);
    assertThat(JobRestarts.of(FLINK, job.getJobID())).isZero();
  }

  static List<String> keysAndValues(String topic) {
    return KAFKA.topics().readAll(topic).stream()
        .map((Received r) -> r.key() + " -> " + r.value())
        .toList();
  }
}
