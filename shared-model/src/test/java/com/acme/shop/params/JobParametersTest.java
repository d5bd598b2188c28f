package com.acme.shop.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.shop.topics.Topic;
import com.acme.shop.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

class JobParametersTest {
  static final Param<Integer> RATE = Param.integer("rate", 100, "events per second");
  static final Topic<String> DEAD_LETTERS =
      Topic.of("dlq", "dlq.activity-monitor", String.class, text -> text);
  static final List<Topic<?>> TOPICS = List.of(Topics.CLICKSTREAM, Topics.PAGE_VIEWS, DEAD_LETTERS);

  static JobParameters parse(String... args) {
    return JobParameters.of("activity-monitor", List.of(RATE), TOPICS, args);
  }

  @Test
  void defaultsComeFromTheContract() {
    JobParameters p = parse();
    assertThat(p.get(CommonParams.BOOTSTRAP_SERVERS)).isEqualTo("localhost:9092");
    assertThat(p.get(CommonParams.OUT_OF_ORDERNESS)).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.get(CommonParams.IDLENESS)).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.get(CommonParams.MAX_EVENT_TIME_AHEAD)).isEqualTo(Duration.ofHours(1));
    assertThat(p.get(CommonParams.BOUNDED)).isFalse();
    assertThat(p.get(CommonParams.DELIVERY_GUARANTEE)).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
    assertThat(p.get(RATE)).isEqualTo(100);
    assertThat(p.topic(Topics.CLICKSTREAM)).isEqualTo("web.clickstream");
    assertThat(p.topic(DEAD_LETTERS)).isEqualTo("dlq.activity-monitor");
    assertThat(p.runName()).isEqualTo("activity-monitor");
  }

  @Test
  void optionsAreTyped() {
    JobParameters p =
        parse(
            "--bootstrap-servers",
            "broker:29092",
            "--parallelism",
            "3",
            "--starting-offsets",
            "2026-11-23T09:00:00Z",
            "--bounded",
            "--out-of-orderness=2s",
            "--delivery-guarantee",
            "at-least-once",
            "--rate",
            "7");
    assertThat(p.get(CommonParams.BOOTSTRAP_SERVERS)).isEqualTo("broker:29092");
    assertThat(p.get(CommonParams.PARALLELISM)).isEqualTo(3);
    assertThat(p.get(CommonParams.STARTING_OFFSETS))
        .isEqualTo(
            new StartingOffsets(
                StartingOffsets.Kind.TIMESTAMP, Instant.parse("2026-11-23T09:00:00Z")));
    assertThat(p.get(CommonParams.BOUNDED)).isTrue();
    assertThat(p.get(CommonParams.OUT_OF_ORDERNESS)).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.get(CommonParams.DELIVERY_GUARANTEE)).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
    assertThat(p.get(RATE)).isEqualTo(7);
  }

  @Test
  void topicsAreOverriddenByLogicalOrContractName() {
    JobParameters p =
        parse("--topic.page-views", "pv-replay", "--topic.web.clickstream", "clicks-2025");
    assertThat(p.topic(Topics.PAGE_VIEWS)).isEqualTo("pv-replay");
    assertThat(p.topic(Topics.CLICKSTREAM)).isEqualTo("clicks-2025");
  }

  @Test
  void typosAreErrorsWithUsage() {
    assertThatThrownBy(() -> parse("--boundd", "true"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown option --boundd")
        .hasMessageContaining("--bootstrap-servers")
        .hasMessageContaining("--topic.page-views");
    assertThatThrownBy(() -> parse("--topic.nope", "x"))
        .hasMessageContaining("unknown topic 'nope'");
    assertThatThrownBy(() -> parse("--rate", "fast"))
        .hasMessageStartingWith("--rate fast: For input string");
    assertThatThrownBy(() -> parse("--starting-offsets", "beginning"))
        .hasMessageContaining("expected earliest, latest, committed or an ISO-8601 instant");
  }

  @Test
  void helpPrintsUsageAndYieldsNothing() {
    assertThat(
            JobParameters.parse("activity-monitor", new String[] {"--help"}, List.of(RATE), TOPICS))
        .isEmpty();
  }

  @Test
  void aRunOtherThanTheLiveOneIsNamedAfterWhatSetsItApart() {
    String rebuild = parse("--bounded", "--topic.page-views", "rebuilt").runName();

    assertThat(parse().runName()).isEqualTo("activity-monitor");
    assertThat(rebuild).matches("activity-monitor-[0-9a-f]{8}");
    // The same command again, or a restart of it, is the same run.
    assertThat(parse("--topic.page-views", "rebuilt", "--bounded").runName()).isEqualTo(rebuild);
    assertThat(parse("--bounded").runName()).isNotEqualTo(rebuild).isNotEqualTo("activity-monitor");
    assertThat(parse("--bounded", "--job-name", "mine").runName()).isEqualTo("mine");
  }

  @Test
  void optionsThatOnlyMakeSenseTogetherAreCheckedWhenParsed() {
    assertThatThrownBy(() -> parse("--checkpoint-interval", "5min"))
        .hasMessageContaining("--transaction-timeout PT10M is too short for --checkpoint-interval");
    assertThatThrownBy(() -> parse("--transaction-timeout", "20min"))
        .hasMessageContaining("exceeds the brokers' maximum");
    assertThat(
            parse("--transaction-timeout", "20min", "--broker-max-transaction-timeout", "1h")
                .get(CommonParams.TRANSACTION_TIMEOUT))
        .isEqualTo(Duration.ofMinutes(20));
    // Without transactions there is no timeout to check.
    assertThat(parse("--checkpoint-interval", "5min", "--delivery-guarantee", "at-least-once"))
        .isNotNull();
    assertThatThrownBy(() -> parse("--idleness", "0s")).hasMessageContaining("must be positive");
    assertThatThrownBy(() -> parse("--parallelism", "0")).hasMessageContaining("at least 1");
  }
}
