package com.acme.shop.flink;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * A keyed process function whose event time follows the wall clock while its whole input is idle.
 *
 * <p>Event-time timers fire only when the watermark moves, and the watermark moves only with data.
 * When every source partition of a job falls silent (the shop closes for the night, a producer
 * breaks) a deadline such as "time the saga out 15 minutes after the order" would never fire. This
 * operator runs {@code function} like {@code keyBy(...).process(function)} and adds one rule: once
 * all of its input channels report idle (each source partition silent for {@code --idleness}), it
 * advances its own watermark by the wall-clock time that passes, from where the watermark stood,
 * every {@link #CHECK_INTERVAL}. Timers then fire as if event time kept pace with the clock. When
 * any input is active again, the input's watermark takes over as soon as it is ahead; records that
 * arrive behind the advanced watermark reach the function as usual (it decides what they mean).
 *
 * <p>A deadline of real-time data therefore fires at most {@code idleness + out-of-orderness +
 * allowed lateness} after its wall-clock time. Use it only in unbounded runs: a bounded run is a
 * replay whose final watermark fires everything, and its result must not depend on the clock.
 *
 * <p>The watermark it last reached is kept in operator state, so a job restored while its input is
 * idle goes on from there instead of waiting for data.
 */
public final class WallClockWhenIdle<K, IN, OUT> extends KeyedProcessOperator<K, IN, OUT> {
  private static final long serialVersionUID = 1L;

  /** How often the idle clock moves the watermark on: the grid the sources' watermarks move on. */
  public static final Duration CHECK_INTERVAL = Watermarks.STEP;

  private static final ListStateDescriptor<Long> LAST_WATERMARK =
      new ListStateDescriptor<>("wall-clock-when-idle-watermark", Types.LONG);

  private transient long watermark;
  private transient boolean inputIdle;
  private transient boolean outputIdle;
  private transient long idleSinceWallClock;
  private transient long watermarkWhenIdle;
  private transient ListState<Long> lastWatermark;

  private WallClockWhenIdle(KeyedProcessFunction<K, IN, OUT> function) {
    super(function);
  }

  /**
   * {@code input.keyBy(key).process(function)}, with the idle clock when {@code enabled}; without
   * it the plain keyed process operator, so a bounded run depends on its data alone.
   */
  public static <K, IN, OUT> SingleOutputStreamOperator<OUT> process(
      DataStream<IN> input,
      KeySelector<IN, K> key,
      KeyedProcessFunction<K, IN, OUT> function,
      TypeInformation<OUT> outputType,
      boolean enabled,
      String name) {
    if (!enabled) {
      return input.keyBy(key).process(function, outputType).name(name);
    }
    return input.keyBy(key).transform(name, outputType, new WallClockWhenIdle<>(function));
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    // Union state: after rescaling every subtask sees every old subtask's watermark and takes
    // the smallest, which fires no timer early.
    lastWatermark = context.getOperatorStateStore().getUnionListState(LAST_WATERMARK);
    watermark = Long.MIN_VALUE;
    if (context.isRestored()) {
      long restored = Long.MAX_VALUE;
      for (Long w : lastWatermark.get()) {
        restored = Math.min(restored, w);
      }
      if (restored != Long.MAX_VALUE) {
        watermark = restored;
      }
    }
  }

  @Override
  public void open() throws Exception {
    super.open();
    long now = getProcessingTimeService().getCurrentProcessingTime();
    getProcessingTimeService().registerTimer(now + CHECK_INTERVAL.toMillis(), this::onClockTick);
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    lastWatermark.update(List.of(watermark));
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    // Watermarks must not go back: after an idle spell the input's may be behind the clock's.
    if (mark.getTimestamp() > watermark) {
      watermark = mark.getTimestamp();
      super.processWatermark(mark);
    }
  }

  @Override
  public void processWatermarkStatus(WatermarkStatus status) throws Exception {
    inputIdle = status.isIdle();
    if (inputIdle) {
      idleSinceWallClock = getProcessingTimeService().getCurrentProcessingTime();
      watermarkWhenIdle = watermark;
    }
    outputIdle = inputIdle;
    super.processWatermarkStatus(status);
  }

  private void onClockTick(long scheduledAt) throws Exception {
    long now = getProcessingTimeService().getCurrentProcessingTime();
    // Nothing to advance from before the first watermark; the end of input stays the end.
    if (inputIdle && watermarkWhenIdle != Long.MIN_VALUE && watermark != Long.MAX_VALUE) {
      long advanced = watermarkWhenIdle + (now - idleSinceWallClock);
      if (advanced > watermark) {
        if (outputIdle) {
          // An idle output drops watermarks: tell downstream that time moves again.
          output.emitWatermarkStatus(WatermarkStatus.ACTIVE);
          outputIdle = false;
        }
        watermark = advanced;
        super.processWatermark(new Watermark(advanced));
      }
    }
    getProcessingTimeService().registerTimer(now + CHECK_INTERVAL.toMillis(), this::onClockTick);
  }
}
