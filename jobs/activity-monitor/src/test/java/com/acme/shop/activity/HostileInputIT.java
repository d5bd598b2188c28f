package com.acme.shop.activity;

import static com.acme.shop.activity.ActivityMonitorIT.click;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.json.Json;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.HostileRecords;
import com.acme.shop.testing.HostileRecords.Hostile;
import com.acme.shop.testing.JobRestarts;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.TopicIO;
import com.acme.shop.testing.TopicIO.Message;
import com.acme.shop.testing.TopicIO.Received;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
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

  /** A record of each hostile kind, keyed by its kind, with what its dead letter's reason says. */
  static final Map<String, Hostile> HOSTILE =
      HostileRecords.around(GOOD, "userId", "eventId")
          .with("unknown-enum", "unknown ClickType 'hover'", json -> json.put("type", "hover"))
          .records();

  @Test
  void everyHostileRecordBecomesOneDeadLetterAndNothingElseChanges() throws Exception {
    RunTopics clean = RunTopics.unique().create(KAFKA.topics(), 1, 2);
    KAFKA.topics().write(clean.clicks(), VALID);
    runBounded(clean);

    RunTopics hostile = RunTopics.unique().create(KAFKA.topics(), 1, 2);
    KAFKA.topics().write(hostile.clicks(), HostileRecords.interleave(VALID, HOSTILE));
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
    assertThat(binary.valueBytes()).isEqualTo(HostileRecords.BINARY_800_KB.length);
    assertThat(binary.valueSha256())
        .isEqualTo(
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-256").digest(HostileRecords.BINARY_800_KB)));
  }

  /** Runs the job bounded to its end, failing at its first restart rather than looping on. */
  void runBounded(RunTopics topics) throws Exception {
    JobClient job =
        ActivityMonitorIT.start(
            ActivityMonitorIT.params(topics, TopicIO.unique("activity-monitor"), "--bounded"));
    JobRestarts.awaitFinishedWithoutFailure(FLINK, job, JOB_TIMEOUT);
  }

  static List<String> keysAndValues(String topic) {
    return KAFKA.topics().readAll(topic).stream()
        .map((Received r) -> r.key() + " -> " + r.value())
        .toList();
  }
}
