package com.acme.shop.params;

import java.time.Duration;
import java.util.List;
import org.apache.flink.connector.base.DeliveryGuarantee;

/** The options every job accepts, with the contract's defaults. */
public final class CommonParams {
  private CommonParams() {}

  public static final Param<String> BOOTSTRAP_SERVERS =
      Param.string(
          "bootstrap-servers", "localhost:9092", "Kafka brokers to read from and write to");

  public static final Param<String> KAFKA_PROPERTIES =
      Param.string(
          "kafka.properties",
          null,
          "a properties file of Kafka client settings for every client of the job, e.g. a secured"
              + " broker's security.protocol, sasl.* and ssl.*; never put secrets on the command"
              + " line, which the web UI shows");

  public static final Param<Integer> PARALLELISM =
      Param.integer("parallelism", null, "operator parallelism (default: the cluster's)");

  public static final Param<StartingOffsets> STARTING_OFFSETS =
      Param.of(
          "starting-offsets",
          StartingOffsets.parse("committed"),
          StartingOffsets::parse,
          "earliest, latest, committed (earliest when the group has none) or an ISO-8601 instant");

  public static final Param<Boolean> BOUNDED =
      Param.bool(
          "bounded",
          false,
          "stop at the offsets that were the latest when the job started (replays, backfills,"
              + " tests); the final watermark then fires every window and timeout");

  public static final Param<Duration> OUT_OF_ORDERNESS =
      Param.duration(
          "out-of-orderness", Duration.ofSeconds(5), "how far events may arrive out of order");

  public static final Param<Duration> IDLENESS =
      Param.duration(
          "idleness",
          Duration.ofSeconds(30),
          "a source partition silent this long no longer holds the watermark back");

  public static final Param<Duration> ALLOWED_LATENESS =
      Param.duration(
          "allowed-lateness",
          Duration.ZERO,
          "how far behind the watermark an event is still accepted; later ones go to late.<job>");

  public static final Param<Duration> MAX_EVENT_TIME_AHEAD =
      Param.duration(
          "max-event-time-ahead",
          Duration.ofHours(1),
          "how far an event's time may be ahead of its Kafka record's timestamp; an event further"
              + " in the future would push the watermark ahead, so it goes to dlq.<job>");

  public static final Param<Duration> CHECKPOINT_INTERVAL =
      Param.duration(
          "checkpoint-interval",
          Duration.ofSeconds(10),
          "checkpoint interval; exactly-once output becomes visible to read_committed consumers"
              + " at each checkpoint");

  public static final Param<String> CHECKPOINT_DIR =
      Param.string(
          "checkpoint-dir",
          null,
          "where checkpoints are kept (execution.checkpointing.dir), retained when the job is"
              + " cancelled so it can resume from them (default: the cluster's)");

  public static final Param<String> RESTORE_FROM =
      Param.string(
          "restore-from",
          null,
          "a checkpoint or savepoint directory to start from (execution.state-recovery.path)");

  public static final Param<DeliveryGuarantee> DELIVERY_GUARANTEE =
      Param.of(
          "delivery-guarantee",
          DeliveryGuarantee.EXACTLY_ONCE,
          text -> DeliveryGuarantee.valueOf(text.toUpperCase().replace('-', '_')),
          "exactly-once (Kafka transactions) or at-least-once");

  public static final Param<Duration> TRANSACTION_TIMEOUT =
      Param.duration(
          "transaction-timeout",
          Duration.ofMinutes(10),
          "Kafka transaction timeout: at least twice --checkpoint-interval plus 1 min, at most"
              + " --broker-max-transaction-timeout");

  public static final Param<Duration> BROKER_MAX_TRANSACTION_TIMEOUT =
      Param.duration(
          "broker-max-transaction-timeout",
          Duration.ofMinutes(15),
          "the brokers' transaction.max.timeout.ms, which --transaction-timeout must not exceed");

  /**
   * Failures allowed within {@link #FAILURE_INTERVAL} before a job fails for good: a job that keeps
   * failing stops visibly instead of looping.
   */
  public static final int MAX_FAILURES = 3;

  public static final Duration FAILURE_INTERVAL = Duration.ofMinutes(5);

  public static final Param<Duration> RESTART_DELAY =
      Param.duration(
          "restart-delay",
          Duration.ofSeconds(5),
          "wait after a failure before restarting; more than "
              + MAX_FAILURES
              + " failures within "
              + FAILURE_INTERVAL.toMinutes()
              + " min fail the job for good");

  /**
   * How long keyed state that nothing clears by event time is kept after it was last written; see
   * {@code flink.StateTtl}. A week outlives any window or timeout of the contract (the longest is
   * 30 min) and any restart, yet bounds the state of keys that go silent (a user who never
   * returns).
   */
  public static final Param<Duration> STATE_TTL =
      Param.duration(
          "state-ttl",
          Duration.ofDays(7),
          "keyed state not written for this long is dropped (processing time), for state that no"
              + " event-time timer clears");

  public static final Param<String> JOB_NAME =
      Param.string(
          "job-name",
          null,
          "job name, consumer group id and transactional id prefix (default: the job's name for"
              + " a live run on the contract's topics, else <job>-<hash of --bounded and the"
              + " topic names>, so a rebuild never shares them with the live run)");

  public static final List<Param<?>> ALL =
      List.of(
          BOOTSTRAP_SERVERS,
          KAFKA_PROPERTIES,
          PARALLELISM,
          STARTING_OFFSETS,
          BOUNDED,
          OUT_OF_ORDERNESS,
          IDLENESS,
          ALLOWED_LATENESS,
          MAX_EVENT_TIME_AHEAD,
          CHECKPOINT_INTERVAL,
          CHECKPOINT_DIR,
          RESTORE_FROM,
          DELIVERY_GUARANTEE,
          TRANSACTION_TIMEOUT,
          BROKER_MAX_TRANSACTION_TIMEOUT,
          RESTART_DELAY,
          STATE_TTL,
          JOB_NAME);

  /**
   * Checks the options that only make sense together, when they are parsed rather than when a
   * broker or the cluster refuses them later (a refused transaction timeout is a restart loop).
   *
   * @throws IllegalArgumentException naming the options and what is wrong
   */
  static void checkTogether(JobParameters params) {
    Duration interval = params.get(CHECKPOINT_INTERVAL);
    Duration timeout = params.get(TRANSACTION_TIMEOUT);
    Duration brokerMax = params.get(BROKER_MAX_TRANSACTION_TIMEOUT);
    requirePositive(interval, CHECKPOINT_INTERVAL);
    requirePositive(params.get(IDLENESS), IDLENESS);
    requireNotNegative(params.get(OUT_OF_ORDERNESS), OUT_OF_ORDERNESS);
    requireNotNegative(params.get(ALLOWED_LATENESS), ALLOWED_LATENESS);
    requireNotNegative(params.get(RESTART_DELAY), RESTART_DELAY);
    requirePositive(params.get(STATE_TTL), STATE_TTL);
    if (params.get(KAFKA_PROPERTIES) != null) {
      KafkaClientProperties.checked(params.get(KAFKA_PROPERTIES));
    }
    Integer parallelism = params.get(PARALLELISM);
    if (parallelism != null && parallelism < 1) {
      throw new IllegalArgumentException("--parallelism must be at least 1");
    }
    if (params.get(DELIVERY_GUARANTEE) != DeliveryGuarantee.EXACTLY_ONCE) {
      return;
    }
    // A transaction stays open from one checkpoint to the commit after the next, and across a
    // restart; the margin covers a slow checkpoint and one restart.
    Duration needed = interval.multipliedBy(2).plus(TRANSACTION_MARGIN);
    if (timeout.compareTo(needed) < 0) {
      throw new IllegalArgumentException(
          "--transaction-timeout "
              + timeout
              + " is too short for --checkpoint-interval "
              + interval
              + ": exactly-once needs at least twice the interval plus "
              + TRANSACTION_MARGIN.toSeconds()
              + " s ("
              + needed
              + ")");
    }
    if (timeout.compareTo(brokerMax) > 0) {
      throw new IllegalArgumentException(
          "--transaction-timeout "
              + timeout
              + " exceeds the brokers' maximum "
              + brokerMax
              + " (transaction.max.timeout.ms); the broker would refuse every transaction."
              + " Lower it, or set --broker-max-transaction-timeout if your brokers allow more");
    }
  }

  /** What a transaction needs beyond two checkpoint intervals: a slow checkpoint, a restart. */
  static final Duration TRANSACTION_MARGIN = Duration.ofMinutes(1);

  private static void requirePositive(Duration value, Param<Duration> param) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("--" + param.name() + " must be positive");
    }
  }

  private static void requireNotNegative(Duration value, Param<Duration> param) {
    if (value.isNegative()) {
      throw new IllegalArgumentException("--" + param.name() + " must not be negative");
    }
  }
}
