package com.acme.shop.flink;

import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.kafka.Parsed;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Splits parsed records into valid events, dead letters and late records, and counts the last two.
 *
 * <p>A record is late when its event time is at or behind the watermark of its own Kafka partition
 * by more than the allowed lateness ({@code eventTime + allowedLateness <= partitionWatermark}).
 * This operator keeps, per (topic, partition), the watermark the source computes for that partition
 * ({@link SteppedWatermark}, over the records before this one). Judging by the record's own
 * partition, rather than by the subtask's watermark (the minimum over all its partitions), makes
 * the late set a function of each partition's records alone: it does not depend on how the fetches
 * of different partitions interleave, nor on how fast the job reads.
 *
 * <p>The partition watermarks are checkpointed, so a job restored mid-stream judges the records it
 * reads again exactly as the run without the failure did (the watermark Flink itself tracks is not
 * in any checkpoint and restarts from nothing).
 *
 * <p>While every partition is active, the watermark downstream operators see is at or behind every
 * partition's, so they never drop a record this operator let through. An idle source subtask is the
 * exception: downstream watermarks then advance without it, and its records can be behind them when
 * it wakes up. Windows and timers of the job catch those themselves ({@link LateEvents}).
 */
public final class RouteParsedRecords<T> extends ProcessFunction<Parsed<T>, T>
    implements CheckpointedFunction {
  /** One partition's watermark, as checkpointed. */
  public record PartitionWatermark(String topic, int partition, long watermark) {}

  private static final ListStateDescriptor<PartitionWatermark> PARTITION_WATERMARKS =
      new ListStateDescriptor<>(
          "partition-watermarks", TypeInformation.of(PartitionWatermark.class));

  private final String job;
  private final long allowedLatenessMs;
  private final SteppedWatermark steps;
  private final Clock clock;
  private transient Counter deadLetters;
  private transient Counter late;

  /** Watermark per partition number (an index), per topic; {@link SteppedWatermark#NONE} = none. */
  private transient Map<String, long[]> watermarks;

  private transient ListState<PartitionWatermark> checkpointed;

  public RouteParsedRecords(String job, Duration allowedLateness, SteppedWatermark steps) {
    this(job, allowedLateness, steps, Clock.systemUTC());
  }

  RouteParsedRecords(String job, Duration allowedLateness, SteppedWatermark steps, Clock clock) {
    this.job = job;
    this.allowedLatenessMs = allowedLateness.toMillis();
    this.steps = steps;
    this.clock = clock;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    // Union state: after a restore, with any parallelism, every subtask gets every partition's
    // watermark, so whichever subtask reads a partition next goes on from where it was.
    checkpointed = context.getOperatorStateStore().getUnionListState(PARTITION_WATERMARKS);
    watermarks = new HashMap<>();
    for (PartitionWatermark restored : checkpointed.get()) {
      // A partition can be listed by several subtasks: its reader, and others that restored it
      // earlier and kept it. Every value describes the partition's records up to at most the
      // checkpointed offset, and the watermark only grows along a partition, so the highest is
      // the one at the offset the source resumes from.
      long[] partitions = partitionsOf(restored.topic(), restored.partition());
      partitions[restored.partition()] =
          Math.max(partitions[restored.partition()], restored.watermark());
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    List<PartitionWatermark> all = new ArrayList<>();
    watermarks.forEach(
        (topic, partitions) -> {
          for (int p = 0; p < partitions.length; p++) {
            if (partitions[p] != SteppedWatermark.NONE) {
              all.add(new PartitionWatermark(topic, p, partitions[p]));
            }
          }
        });
    checkpointed.update(all);
  }

  @Override
  public void open(OpenContext openContext) {
    deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    late = getRuntimeContext().getMetricGroup().counter("lateRecords");
  }

  @Override
  public void processElement(Parsed<T> record, Context ctx, Collector<T> out) {
    if (!record.isValid()) {
      deadLetters.inc();
      ctx.output(
          RejectedRecords.DEAD_LETTERS,
          DeadLetter.of(record.raw(), job, record.error, clock.instant()));
      return;
    }
    long[] partitions = partitionsOf(record.topic, record.partition);
    long watermark = partitions[record.partition];
    long time = ctx.timestamp();
    // As in the source, the record moves its partition's watermark only after it was emitted.
    partitions[record.partition] = steps.advance(watermark, time);
    if (watermark != SteppedWatermark.NONE && time + allowedLatenessMs <= watermark) {
      late.inc();
      ctx.output(RejectedRecords.LATE, record.raw());
      return;
    }
    out.collect(record.event);
  }

  /** The watermarks of {@code topic}'s partitions, with room for {@code partition}. */
  private long[] partitionsOf(String topic, int partition) {
    long[] partitions = watermarks.get(topic);
    if (partitions == null || partitions.length <= partition) {
      long[] grown = new long[partition + 1];
      Arrays.fill(grown, SteppedWatermark.NONE);
      if (partitions != null) {
        System.arraycopy(partitions, 0, grown, 0, partitions.length);
      }
      watermarks.put(topic, grown);
      partitions = grown;
    }
    return partitions;
  }
}
