package com.acme.shop.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.datagen.DataGenJob;
import com.acme.shop.flink.JobEnvironment;
import com.acme.shop.json.Json;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.kafka.KafkaSinks;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.ClickType;
import com.acme.shop.model.PageViewCount;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.TopicIO;
import com.acme.shop.testing.TopicIO.Received;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * datagen → Kafka → activity-monitor, both on the MiniCluster against a real broker. The expected
 * page views are computed here, independently and plainly, from what datagen actually wrote.
 */
class GeneratedDataIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  @Test
  void pageViewsOfGeneratedClicksAreExact() throws Exception {
    String clicks = TopicIO.unique("clicks");
    String pageViews = TopicIO.unique("page-views");
    String dlq = TopicIO.unique("dlq");
    String late = TopicIO.unique("late");
    KAFKA.topics().create(4, clicks, pageViews);
    KAFKA.topics().create(1, dlq, late);

    // 20 000 clicks, 10 ms apart: a bit over three minutes of a busy shop, with bots and 1% bad.
    JobParameters gen =
        DataGenJob.parameters(
                "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--topics", "clickstream",
                "--topic.clickstream", clicks,
                "--count", "20000",
                "--rate", "0",
                "--seed", "11",
                "--start-time", "2026-11-23T09:00:00Z",
                "--fraud-share", "0.1",
                "--bad-share", "0.01",
                "--checkpoint-interval", "500ms",
                "--job-name", TopicIO.unique("datagen"))
            .orElseThrow();
    StreamExecutionEnvironment genEnv =
        JobEnvironment.configure(StreamExecutionEnvironment.getExecutionEnvironment(), gen);
    DataGenJob.build(
        genEnv,
        gen,
        DataGenJob.settings(gen, Instant.EPOCH),
        KafkaSinks.rawToOwnTopic(gen, "records"));
    genEnv.execute("datagen");

    JobParameters params =
        ActivityMonitorJob.parameters(
                "--bootstrap-servers",
                KAFKA.bootstrapServers(),
                "--starting-offsets",
                "earliest",
                "--bounded",
                "--parallelism",
                "2",
                "--checkpoint-interval",
                "500ms",
                "--job-name",
                TopicIO.unique("activity-monitor"),
                "--topic.clickstream",
                clicks,
                "--topic.page-views",
                pageViews,
                "--topic.dlq",
                dlq,
                "--topic.late",
                late)
            .orElseThrow();
    StreamExecutionEnvironment env =
        JobEnvironment.configure(StreamExecutionEnvironment.getExecutionEnvironment(), params);
    ActivityMonitorJob.build(
        env,
        params,
        ActivityMonitorJob.clickSource(params),
        ActivityMonitorJob.Outputs.kafka(params));
    env.execute("activity-monitor");

    List<Received> input = KAFKA.topics().readAll(clicks);
    assertThat(input).hasSize(20_000);
    Expected expected = Expected.from(input);
    assertThat(expected.invalid).isBetween(120, 280);
    assertThat(expected.counts).hasSizeGreaterThan(100);

    List<PageViewCount> actual =
        KAFKA.topics().readAll(pageViews).stream()
            .map(r -> Json.parse(r.value().getBytes(StandardCharsets.UTF_8), PageViewCount.class))
            .toList();
    assertThat(actual).containsExactlyInAnyOrderElementsOf(expected.counts);
    assertThat(actual).anySatisfy(pv -> assertThat(pv.views()).isGreaterThan(100));

    List<Received> deadLetters = KAFKA.topics().readAll(dlq);
    assertThat(deadLetters).hasSize(expected.invalid);
    assertThat(deadLetters)
        .allSatisfy(
            r ->
                assertThat(
                        Json.parse(r.value().getBytes(StandardCharsets.UTF_8), DeadLetter.class)
                            .error())
                    .isNotBlank());
    assertThat(KAFKA.topics().readAll(late)).isEmpty();
  }

  /** Page views per page and minute, counted the obvious way. */
  record Expected(List<PageViewCount> counts, int invalid) {
    static Expected from(List<Received> input) {
      Map<String, Long> views = new HashMap<>();
      Map<String, Set<String>> users = new HashMap<>();
      int invalid = 0;
      for (Received r : input) {
        ClickEvent click;
        try {
          click = Json.parse(r.value().getBytes(StandardCharsets.UTF_8), ClickEvent.class);
        } catch (IllegalArgumentException e) {
          invalid++;
          continue;
        }
        if (click.type() != ClickType.PAGE_VIEW) {
          continue;
        }
        long minute = click.eventTime().toEpochMilli() / 60_000;
        String key = click.page() + "|" + minute;
        views.merge(key, 1L, Long::sum);
        users.computeIfAbsent(key, k -> new HashSet<>()).add(click.userId());
      }
      List<PageViewCount> counts =
          views.entrySet().stream()
              .map(
                  e -> {
                    String[] parts = e.getKey().split("\\|");
                    Instant start = Instant.ofEpochMilli(Long.parseLong(parts[1]) * 60_000);
                    return new PageViewCount(
                        parts[0],
                        start,
                        start.plus(Duration.ofMinutes(1)),
                        e.getValue(),
                        users.get(e.getKey()).size());
                  })
              .toList();
      return new Expected(counts, invalid);
    }
  }
}
