package com.acme.shop.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.datagen.DataGenJob;
import com.acme.shop.flink.JobEnvironment;
import com.acme.shop.json.Json;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.model.BotAlert;
import com.acme.shop.model.CartAbandonment;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.ClickType;
import com.acme.shop.model.EventRate;
import com.acme.shop.model.PageViewCount;
import com.acme.shop.model.SessionSummary;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.TopicIO;
import com.acme.shop.testing.TopicIO.Received;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * datagen → Kafka → activity-monitor, both on the MiniCluster against a real broker. Every output
 * is expected as computed here, independently and plainly, from what datagen actually wrote.
 * Nothing is late (datagen writes no late records here), and the bounded run's final watermark
 * fires every window and timeout, so the expectation is simply the definition over all events.
 */
class GeneratedDataIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  static final long MINUTE = 60_000;

  @Test
  void everyOutputOfGeneratedClicksIsExact() throws Exception {
    RunTopics topics = RunTopics.unique().create(KAFKA.topics(), 4, 4);

    // 20 000 clicks, 10 ms apart: a bit over three minutes of a busy shop, with bots and 1% bad.
    JobParameters gen =
        DataGenJob.parameters(
                "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--topics", "clickstream",
                "--topic.clickstream", topics.clicks(),
                "--count", "20000",
                "--rate", "0",
                "--seed", "11",
                "--start-time", "2026-11-23T09:00:00Z",
                "--fraud-share", "0.1",
                "--bad-share", "0.01",
                "--checkpoint-interval", "500ms",
                "--job-name", TopicIO.unique("datagen"))
            .orElseThrow();
    // "Now" only has to be after --start-time, which datagen checks; the data never depends on it.
    JobEnvironment.run(
        Optional.of(gen), DataGenJob.topology(Instant.parse("2026-11-24T00:00:00Z")));

    List<String> options =
        new java.util.ArrayList<>(
            List.of(
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
                TopicIO.unique("activity-monitor")));
    options.addAll(topics.options());
    JobParameters params =
        ActivityMonitorJob.parameters(options.toArray(String[]::new)).orElseThrow();
    StreamExecutionEnvironment env =
        JobEnvironment.configure(StreamExecutionEnvironment.getExecutionEnvironment(), params);
    ActivityMonitorJob.build(
        env,
        params,
        ActivityMonitorJob.clickSource(params),
        ActivityMonitorJob.Outputs.kafka(params));
    env.execute("activity-monitor");

    List<Received> input = KAFKA.topics().readAll(topics.clicks());
    assertThat(input).hasSize(20_000);
    Expected expected = Expected.from(input);
    assertThat(expected.invalid).isBetween(120, 280);
    assertThat(KAFKA.topics().readAll(topics.late())).isEmpty();

    assertThat(expected.pageViews).hasSizeGreaterThan(100);
    List<PageViewCount> actualPageViews = read(topics.pageViews(), PageViewCount.class);
    assertThat(actualPageViews).containsExactlyInAnyOrderElementsOf(expected.pageViews);
    assertThat(actualPageViews).anySatisfy(pv -> assertThat(pv.views()).isGreaterThan(100));

    // Six types, each in the five windows of each of its minutes.
    assertThat(expected.eventRates).hasSizeGreaterThan(30);
    assertThat(read(topics.eventRates(), EventRate.class))
        .containsExactlyInAnyOrderElementsOf(expected.eventRates);

    assertThat(expected.sessions).hasSizeGreaterThan(1000);
    assertThat(expected.sessions).anySatisfy(s -> assertThat(s.purchased()).isTrue());
    assertThat(read(topics.sessions(), SessionSummary.class))
        .containsExactlyInAnyOrderElementsOf(expected.sessions);

    assertThat(expected.cartAbandonments).hasSizeGreaterThan(100);
    assertThat(read(topics.carts(), CartAbandonment.class))
        .containsExactlyInAnyOrderElementsOf(expected.cartAbandonments);

    assertThat(expected.botAlerts).isNotEmpty();
    assertThat(read(topics.alerts(), BotAlert.class))
        .containsExactlyInAnyOrderElementsOf(expected.botAlerts);

    List<Received> deadLetters = KAFKA.topics().readAll(topics.dlq());
    assertThat(deadLetters).hasSize(expected.invalid);
    assertThat(deadLetters)
        .allSatisfy(
            r ->
                assertThat(
                        Json.parse(r.value().getBytes(StandardCharsets.UTF_8), DeadLetter.class)
                            .error())
                    .isNotBlank());
  }

  static <T> List<T> read(String topic, Class<T> type) {
    return KAFKA.topics().readAll(topic).stream()
        .map(r -> Json.parse(r.value().getBytes(StandardCharsets.UTF_8), type))
        .toList();
  }

  /** Every output, computed the obvious way from the valid clicks. */
  record Expected(
      List<PageViewCount> pageViews,
      List<EventRate> eventRates,
      List<SessionSummary> sessions,
      List<CartAbandonment> cartAbandonments,
      List<BotAlert> botAlerts,
      int invalid) {

    static Expected from(List<Received> input) {
      List<ClickEvent> valid = new ArrayList<>();
      int invalid = 0;
      for (Received r : input) {
        try {
          valid.add(Json.parse(r.value().getBytes(StandardCharsets.UTF_8), ClickEvent.class));
        } catch (IllegalArgumentException e) {
          invalid++;
        }
      }
      return new Expected(
          pageViews(valid),
          eventRates(valid),
          sessions(valid),
          cartAbandonments(valid),
          botAlerts(valid),
          invalid);
    }

    static long minuteOf(ClickEvent click) {
      return Math.floorDiv(click.eventTime().toEpochMilli(), MINUTE);
    }

    static Instant minute(long minute) {
      return Instant.ofEpochMilli(minute * MINUTE);
    }

    /** Views and distinct users per page and minute. */
    static List<PageViewCount> pageViews(List<ClickEvent> clicks) {
      Map<String, Long> views = new HashMap<>();
      Map<String, Set<String>> users = new HashMap<>();
      for (ClickEvent click : clicks) {
        if (click.type() != ClickType.PAGE_VIEW) {
          continue;
        }
        String key = click.page() + "|" + minuteOf(click);
        views.merge(key, 1L, Long::sum);
        users.computeIfAbsent(key, k -> new HashSet<>()).add(click.userId());
      }
      return views.entrySet().stream()
          .map(
              e -> {
                String[] parts = e.getKey().split("\\|");
                long m = Long.parseLong(parts[1]);
                return new PageViewCount(
                    parts[0], minute(m), minute(m + 1), e.getValue(), users.get(e.getKey()).size());
              })
          .toList();
    }

    /** Events per type in every five-minute window starting on a minute that holds them. */
    static List<EventRate> eventRates(List<ClickEvent> clicks) {
      Map<String, Long> counts = new HashMap<>();
      for (ClickEvent click : clicks) {
        // The windows holding an event are those starting in its minute or the four before.
        for (long start = minuteOf(click) - 4; start <= minuteOf(click); start++) {
          counts.merge(click.type().wire() + "|" + start, 1L, Long::sum);
        }
      }
      return counts.entrySet().stream()
          .map(
              e -> {
                String[] parts = e.getKey().split("\\|");
                long start = Long.parseLong(parts[1]);
                return new EventRate(parts[0], minute(start), minute(start + 5), e.getValue());
              })
          .toList();
    }

    /** Each user's events in time order, cut where two are more than 30 minutes apart. */
    static List<SessionSummary> sessions(List<ClickEvent> clicks) {
      long gap = Duration.ofMinutes(30).toMillis();
      List<SessionSummary> sessions = new ArrayList<>();
      for (List<ClickEvent> events : byUserInTimeOrder(clicks).values()) {
        List<ClickEvent> session = new ArrayList<>();
        for (ClickEvent click : events) {
          if (!session.isEmpty()
              && click.eventTime().toEpochMilli()
                      - session.get(session.size() - 1).eventTime().toEpochMilli()
                  > gap) {
            sessions.add(summary(session, gap));
            session = new ArrayList<>();
          }
          session.add(click);
        }
        sessions.add(summary(session, gap));
      }
      return sessions;
    }

    static SessionSummary summary(List<ClickEvent> session, long gap) {
      return new SessionSummary(
          session.get(0).userId(),
          session.get(0).eventTime(),
          session.get(session.size() - 1).eventTime().plusMillis(gap),
          session.size(),
          session.stream().filter(c -> c.type() == ClickType.PAGE_VIEW).count(),
          session.stream().filter(c -> c.type() == ClickType.ADD_TO_CART).count(),
          session.stream().anyMatch(c -> c.type() == ClickType.PURCHASE));
    }

    /** Adds with no checkout or purchase of the user from the same instant to 30 min after. */
    static List<CartAbandonment> cartAbandonments(List<ClickEvent> clicks) {
      Duration timeout = Duration.ofMinutes(30);
      List<CartAbandonment> abandoned = new ArrayList<>();
      for (List<ClickEvent> events : byUserInTimeOrder(clicks).values()) {
        for (ClickEvent add : events) {
          if (add.type() != ClickType.ADD_TO_CART) {
            continue;
          }
          boolean rescued =
              events.stream()
                  .anyMatch(
                      c ->
                          (c.type() == ClickType.CHECKOUT || c.type() == ClickType.PURCHASE)
                              && !c.eventTime().isBefore(add.eventTime())
                              && !c.eventTime().isAfter(add.eventTime().plus(timeout)));
          if (!rescued) {
            abandoned.add(
                new CartAbandonment(add.userId(), add.productId(), add.eventId(), add.eventTime()));
          }
        }
      }
      return abandoned;
    }

    /** Users with more than 100 page views in one minute. */
    static List<BotAlert> botAlerts(List<ClickEvent> clicks) {
      Map<String, Long> views = new HashMap<>();
      for (ClickEvent click : clicks) {
        if (click.type() == ClickType.PAGE_VIEW) {
          views.merge(click.userId() + "|" + minuteOf(click), 1L, Long::sum);
        }
      }
      return views.entrySet().stream()
          .filter(e -> e.getValue() > 100)
          .map(
              e -> {
                String[] parts = e.getKey().split("\\|");
                long m = Long.parseLong(parts[1]);
                return new BotAlert(parts[0], minute(m), minute(m + 1), e.getValue());
              })
          .toList();
    }

    static Map<String, List<ClickEvent>> byUserInTimeOrder(List<ClickEvent> clicks) {
      Map<String, List<ClickEvent>> byUser = new HashMap<>();
      for (ClickEvent click : clicks) {
        byUser.computeIfAbsent(click.userId(), u -> new ArrayList<>()).add(click);
      }
      byUser.values().forEach(events -> events.sort(Comparator.comparing(ClickEvent::eventTime)));
      return byUser;
    }
  }
}
