package com.acme.shop.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.flink.JobEnvironment;
import com.acme.shop.json.Json;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.model.BotAlert;
import com.acme.shop.model.CartAbandonment;
import com.acme.shop.model.EventRate;
import com.acme.shop.model.PageViewCount;
import com.acme.shop.model.SessionSummary;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.JobArgs;
import com.acme.shop.testing.JobRestarts;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.TopicIO;
import com.acme.shop.testing.TopicIO.Message;
import com.acme.shop.testing.TopicIO.Received;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole job on a MiniCluster against a real broker, on fixed data with exact results. */
class ActivityMonitorIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  RunTopics topics;

  @BeforeEach
  void topics() {
    // One input partition: the order records are read in, and so the watermark, is fixed.
    topics = RunTopics.unique().create(KAFKA.topics(), 1, 2);
  }

  static String click(String id, String user, String type, String page, String time) {
    return click(id, user, type, page, null, time);
  }

  static String click(
      String id, String user, String type, String page, String productId, String time) {
    return """
        {"eventId":"%s","userId":"%s","sessionId":"s-%s","type":"%s","page":"%s","productId":%s,\
        "eventTime":"2026-11-23T%sZ"}"""
        .formatted(
            id, user, user, type, page, productId == null ? "null" : '"' + productId + '"', time);
  }

  static final String LATE_CLICK = click("e11", "u3", "page_view", "/home", "09:01:05.000");
  // Would rescue u1's cart of 09:00:04 were it on time.
  static final String LATE_CHECKOUT = click("e15", "u1", "checkout", "/checkout", "09:01:06.000");
  static final String MISSING_USER =
      """
      {"eventId":"e9","sessionId":"s","type":"page_view","page":"/home",\
      "eventTime":"2026-11-23T09:01:11.000Z"}""";

  static final java.time.format.DateTimeFormatter TIME =
      java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
          .withZone(java.time.ZoneOffset.UTC);

  /** {@code count} page views of {@code user} on {@code page}, 100 ms apart from {@code from}. */
  static List<Message> burst(String user, String page, String from, int count) {
    Instant start = Instant.parse("2026-11-23T" + from + "Z");
    return java.util.stream.IntStream.range(0, count)
        .mapToObj(
            i ->
                Message.of(
                    user,
                    click(
                        user + "-" + i,
                        user,
                        "page_view",
                        page,
                        TIME.format(start.plusMillis(100L * i)))))
        .toList();
  }

  static final List<Message> FIXED_DAY =
      Stream.of(
              List.of(
                  Message.of("u1", click("e1", "u1", "page_view", "/home", "09:00:01.000")),
                  Message.of("u2", click("e2", "u2", "page_view", "/home", "09:00:02.000")),
                  Message.of("u1", click("e3", "u1", "page_view", "/home", "09:00:03.000")),
                  Message.of("u1", click("e4", "u1", "add_to_cart", "/cart", "42", "09:00:04.000")),
                  Message.of("u3", click("e5", "u3", "page_view", "/p/1", "09:00:30.000")),
                  Message.of("u9", "this is not json"),
                  Message.of("u2", click("e6", "u2", "page_view", "/p/1", "09:00:58.000")),
                  // Three seconds out of order: within the 5 s bound, so counted.
                  Message.of("u1", click("e7", "u1", "page_view", "/home", "09:00:55.000")),
                  Message.of("u1", click("e8", "u1", "page_view", "/home", "09:01:10.000")),
                  Message.of(null, MISSING_USER),
                  Message.of("u2", click("e10", "u2", "page_view", "/home", "09:01:20.000")),
                  Message.of("u2", click("e13", "u2", "add_to_cart", "/p/7", "7", "09:01:21.000")),
                  // The watermark is now 09:01:15.999: anything up to it is late.
                  Message.of("u3", LATE_CLICK),
                  Message.of("u1", LATE_CHECKOUT),
                  // Rescues u2's cart of 09:01:21.
                  Message.of(
                      "u2", click("e14", "u2", "purchase", "/checkout/done", "09:02:00.000")),
                  Message.of("u3", click("e12", "u3", "page_view", "/p/1", "09:02:30.000"))),
              // A bot: 101 page views in the minute from 09:03.
              burst("bot", "/p/9", "09:03:00.000", 101),
              // Just human: 100 page views in the minute from 09:04.
              burst("u4", "/p/8", "09:04:00.000", 100))
          .flatMap(List::stream)
          .toList();

  JobParameters params(String... extra) {
    return params(topics, TopicIO.unique("activity-monitor"), extra);
  }

  /**
   * The options of a test run on {@code topics} named {@code jobName} (none when null, so the run
   * is named as a user's would be), then {@code extra}, which may override any of them.
   */
  static JobParameters params(RunTopics topics, String jobName, String... extra) {
    List<String> args = JobArgs.forTest(KAFKA, jobName, "300ms");
    args.addAll(topics.options());
    args.addAll(List.of(extra));
    return ActivityMonitorJob.parameters(args.toArray(String[]::new)).orElseThrow();
  }

  /** Starts the job with its Kafka sources and sinks. */
  static JobClient start(JobParameters params) throws Exception {
    StreamExecutionEnvironment env = environment(params);
    ActivityMonitorJob.build(
        env,
        params,
        ActivityMonitorJob.clickSource(params),
        ActivityMonitorJob.Outputs.kafka(params));
    return env.executeAsync(params.runName());
  }

  static StreamExecutionEnvironment environment(JobParameters params) {
    return JobEnvironment.configure(StreamExecutionEnvironment.getExecutionEnvironment(), params);
  }

  static PageViewCount pv(String page, String minute, long views, long users) {
    Instant start = Instant.parse("2026-11-23T" + minute + ":00Z");
    return new PageViewCount(page, start, start.plus(Duration.ofMinutes(1)), views, users);
  }

  static Instant at(String time) {
    return Instant.parse("2026-11-23T" + time + "Z");
  }

  /** Rates of {@code type} in consecutive sliding windows, the first starting at {@code first}. */
  static List<EventRate> rates(String type, String first, long... counts) {
    return java.util.stream.IntStream.range(0, counts.length)
        .mapToObj(
            i -> {
              Instant start = at(first).plus(Duration.ofMinutes(i));
              return new EventRate(type, start, start.plus(Duration.ofMinutes(5)), counts[i]);
            })
        .toList();
  }

  static SessionSummary session(
      String user, String first, String last, long events, long views, long adds, boolean bought) {
    return new SessionSummary(
        user, at(first), at(last).plus(Duration.ofMinutes(30)), events, views, adds, bought);
  }

  @Test
  void boundedRunComputesEveryOutputExactlyAndRoutesBadAndLateRecords() throws Exception {
    KAFKA.topics().write(topics.clicks(), FIXED_DAY);
    JobClient job = start(params("--bounded"));
    job.getJobExecutionResult().get();

    assertFixedDayOutputs(topics);
    assertThat(JobRestarts.of(FLINK, job.getJobID())).as("restarts").isZero();
  }

  /** What the job writes for {@link #FIXED_DAY}, worked out by hand: exactly these records. */
  static void assertFixedDayOutputs(RunTopics topics) {
    assertThat(read(topics.pageViews(), PageViewCount.class, PageViewCount::page))
        .containsExactlyInAnyOrder(
            pv("/home", "09:00", 4, 2),
            pv("/p/1", "09:00", 2, 2),
            pv("/home", "09:01", 2, 2),
            pv("/p/1", "09:02", 1, 1),
            pv("/p/9", "09:03", 101, 1),
            pv("/p/8", "09:04", 100, 1));

    // Page views per minute from 09:00: 6, 2, 1, 101, 100. Late records count nowhere.
    assertThat(read(topics.eventRates(), EventRate.class, EventRate::type))
        .containsExactlyInAnyOrderElementsOf(
            Stream.of(
                    rates("page_view", "08:56:00", 6, 8, 9, 110, 210, 204, 202, 201, 100),
                    rates("add_to_cart", "08:56:00", 1, 2, 2, 2, 2, 1),
                    rates("purchase", "08:58:00", 1, 1, 1, 1, 1))
                .flatMap(List::stream)
                .toList());

    assertThat(read(topics.sessions(), SessionSummary.class, SessionSummary::userId))
        .containsExactlyInAnyOrder(
            session("u1", "09:00:01", "09:01:10", 5, 4, 1, false),
            session("u2", "09:00:02", "09:02:00", 5, 3, 1, true),
            session("u3", "09:00:30", "09:02:30", 2, 2, 0, false),
            session("bot", "09:03:00", "09:03:10", 101, 101, 0, false),
            session("u4", "09:04:00", "09:04:09.900", 100, 100, 0, false));

    // u1's late checkout rescues nothing; u2's purchase rescues its cart.
    assertThat(read(topics.carts(), CartAbandonment.class, CartAbandonment::userId))
        .containsExactly(new CartAbandonment("u1", "42", "e4", at("09:00:04")));

    assertThat(read(topics.alerts(), BotAlert.class, BotAlert::userId))
        .containsExactly(new BotAlert("bot", at("09:03:00"), at("09:04:00"), 101));

    List<DeadLetter> deadLetters = read(topics.dlq(), DeadLetter.class);
    assertThat(deadLetters)
        .extracting(DeadLetter::offset, DeadLetter::key, DeadLetter::error)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                5L,
                "u9",
                "not valid JSON: Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
            org.assertj.core.groups.Tuple.tuple(9L, null, "missing required field 'userId'"));
    assertThat(deadLetters)
        .allSatisfy(dl -> assertThat(dl.sourceTopic()).isEqualTo(topics.clicks()));
    assertThat(deadLetters.get(0).job()).isEqualTo("activity-monitor");

    List<Received> lateRecords = KAFKA.topics().readAll(topics.late());
    assertThat(lateRecords)
        .extracting(Received::key, Received::value)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("u3", LATE_CLICK),
            org.assertj.core.groups.Tuple.tuple("u1", LATE_CHECKOUT));
  }

  @Test
  void aPoisonRecordGoesToTheDeadLetterTopicAndTheJobKeepsRunning() throws Exception {
    // The second source subtask has no partition; it stops holding the watermark once idle.
    JobClient job = start(params("--idleness", "1s"));
    try {
      KAFKA
          .topics()
          .write(
              topics.clicks(),
              List.of(
                  Message.raw("u1", new byte[] {(byte) 0xff, 0x00, 0x13}),
                  Message.of("u1", click("a1", "u1", "page_view", "/home", "10:00:01.000")),
                  Message.of("u1", "{\"eventId\":"),
                  Message.of("u2", click("a2", "u2", "page_view", "/home", "10:00:02.000")),
                  // Closes the 10:00 window: the watermark passes 10:01.
                  Message.of("u2", click("a3", "u2", "search", "/search", "10:01:07.000"))));

      List<PageViewCount> counts = awaitRecords(topics.pageViews(), PageViewCount.class, 1);
      assertThat(counts).containsExactly(pv("/home", "10:00", 2, 2));
      List<DeadLetter> deadLetters = awaitRecords(topics.dlq(), DeadLetter.class, 2);
      assertThat(deadLetters)
          .extracting(DeadLetter::valueEncoding)
          .containsExactlyInAnyOrder("base64", "utf8");
      assertThat(deadLetters)
          .filteredOn(d -> "base64".equals(d.valueEncoding()))
          .extracting(DeadLetter::value)
          .containsExactly("/wAT");
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
      assertThat(JobRestarts.of(FLINK, job.getJobID())).as("restarts").isZero();
    } finally {
      job.cancel().get();
    }
  }

  /** The topic's values, after checking that each record is keyed by {@code keyOf} its value. */
  static <T> List<T> read(String topic, Class<T> type, Function<T, String> keyOf) {
    List<Received> records = KAFKA.topics().readAll(topic);
    List<T> values = new java.util.ArrayList<>();
    for (Received r : records) {
      T value = Json.parse(r.value().getBytes(StandardCharsets.UTF_8), type);
      assertThat(r.key()).isEqualTo(keyOf.apply(value));
      values.add(value);
    }
    return values;
  }

  static <T> List<T> read(String topic, Class<T> type) {
    return KAFKA.topics().readAll(topic).stream()
        .map(r -> Json.parse(r.value().getBytes(StandardCharsets.UTF_8), type))
        .toList();
  }

  static <T> List<T> awaitRecords(String topic, Class<T> type, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<T> records = read(topic, type);
    while (records.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(200);
      records = read(topic, type);
    }
    return records;
  }
}
