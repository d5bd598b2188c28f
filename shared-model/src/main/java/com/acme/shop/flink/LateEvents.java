package com.acme.shop.flink;

import com.acme.shop.json.Json;
import com.acme.shop.kafka.RawRecord;
import com.acme.shop.topics.Topic;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream.IntervalJoined;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.datastream.WindowedStream;
import org.apache.flink.streaming.api.windowing.windows.Window;
import org.apache.flink.util.OutputTag;

/**
 * Events of one type that an operator after the router found behind its own watermark, on their way
 * to the job's late topic.
 *
 * <p>The router ({@link RouteParsedRecords}) sends late records to {@code late.<job>} as received.
 * A record it let through can still be late for a window, pattern, join or timer further down when
 * a whole source subtask was idle: the downstream watermark then advanced without it. Flink drops
 * such records silently unless told otherwise, so every such operator of a job sends them to a side
 * output instead, and {@link #from} turns that side output into late records for the same sink:
 *
 * <ul>
 *   <li>windows: {@code late.caughtIn(stream.keyBy(...).window(...))}, then {@code late.from(op)}
 *       on the window's result;
 *   <li>interval joins: {@link #caughtIn(IntervalJoined, LateEvents, LateEvents)}, then {@code
 *       left.from(op)} and {@code right.from(op)};
 *   <li>CEP: {@link CepLateEvents#caughtIn}, then {@code late.from(op)} on the pattern's result;
 *   <li>a process function with event-time timers: {@link #isLate} on each element, {@code
 *       ctx.output(late.tag(), element)} when it is, then {@code late.from(op)}.
 * </ul>
 *
 * Union the results with the router's late records before writing them to the one late sink.
 *
 * <p>These records are written as the parsed event re-serialised as the contract's JSON ({@link
 * Json#bytes}), keyed by the topic's key, not as the bytes the producer wrote: by then the original
 * record is gone. Each is counted in the metric {@code lateRecords} of the operator that converts
 * it, as the router counts its own.
 */
public final class LateEvents<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final OutputTag<T> tag;
  private final String topic;
  private final Topic.KeyOf<T> keyOf;

  private LateEvents(OutputTag<T> tag, String topic, Topic.KeyOf<T> keyOf) {
    this.tag = tag;
    this.topic = topic;
    this.keyOf = keyOf;
  }

  /**
   * Late events named {@code name} (unique within the job: it names the side output), read from
   * {@code topic} and keyed there by {@code keyOf}.
   */
  public static <T> LateEvents<T> of(
      String name, TypeInformation<T> type, String topic, Topic.KeyOf<T> keyOf) {
    return new LateEvents<>(new OutputTag<>(name, type), topic, keyOf);
  }

  /** The side output these events go to. */
  public OutputTag<T> tag() {
    return tag;
  }

  /**
   * Whether an element with {@code timestamp} is late for an operator whose watermark is {@code
   * watermark}: the rule of Flink's windows and of the router, {@code timestamp + allowedLateness
   * <= watermark}.
   */
  public static boolean isLate(long timestamp, long allowedLatenessMs, long watermark) {
    return watermark != Long.MIN_VALUE && timestamp + allowedLatenessMs <= watermark;
  }

  /** {@code windows}, sending the events they would drop as late to {@link #tag}. */
  public <K, W extends Window> WindowedStream<T, K, W> caughtIn(WindowedStream<T, K, W> windows) {
    return windows.sideOutputLateData(tag);
  }

  /** {@code join}, sending each side's events that it would drop as late to that side's tag. */
  public static <L, R, K> IntervalJoined<L, R, K> caughtIn(
      IntervalJoined<L, R, K> join, LateEvents<L> left, LateEvents<R> right) {
    return join.sideOutputLeftLateData(left.tag).sideOutputRightLateData(right.tag);
  }

  /** The events {@code operator} sent to {@link #tag}, counted, as records for the late sink. */
  public DataStream<RawRecord> from(SingleOutputStreamOperator<?> operator) {
    SingleOutputStreamOperator<RawRecord> records =
        operator
            .getSideOutput(tag)
            .map(new CountLateEvent<>(this), TypeInformation.of(RawRecord.class))
            .name(tag.getId() + " caught by " + operator.getName());
    String uid = operator.getTransformation().getUid();
    return uid == null ? records : records.uid(uid + "-" + tag.getId());
  }

  /** A late event as a record of its topic: its key and its contract JSON, with no offset. */
  public RawRecord toRawRecord(T event) {
    String key = keyOf.key(event);
    return new RawRecord(
        topic,
        -1,
        -1,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        Json.bytes(event));
  }

  private static final class CountLateEvent<T> extends RichMapFunction<T, RawRecord> {
    private final LateEvents<T> events;
    private transient Counter late;

    CountLateEvent(LateEvents<T> events) {
      this.events = events;
    }

    @Override
    public void open(OpenContext openContext) {
      late = getRuntimeContext().getMetricGroup().counter("lateRecords");
    }

    @Override
    public RawRecord map(T event) {
      late.inc();
      return events.toRawRecord(event);
    }
  }
}
