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
          "Kafka transaction timeout; must not exceed the broker's transaction.max.timeout.ms"
              + " (15 min by default) and must exceed the checkpoint interval");

  public static final Param<String> JOB_NAME =
      Param.string(
          "job-name",
          null,
          "job name, consumer group id and transactional id prefix (default: the job's name)");

  public static final List<Param<?>> ALL =
      List.of(
          BOOTSTRAP_SERVERS,
          PARALLELISM,
          STARTING_OFFSETS,
          BOUNDED,
          OUT_OF_ORDERNESS,
          IDLENESS,
          ALLOWED_LATENESS,
          MAX_EVENT_TIME_AHEAD,
          CHECKPOINT_INTERVAL,
          DELIVERY_GUARANTEE,
          TRANSACTION_TIMEOUT,
          JOB_NAME);
}
