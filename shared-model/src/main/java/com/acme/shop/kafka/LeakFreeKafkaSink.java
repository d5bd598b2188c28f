package com.acme.shop.kafka;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.flink.connector.kafka.sink.TwoPhaseCommittingStatefulSink;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.lineage.LineageVertex;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KafkaSink} whose writers close everything they opened.
 *
 * <p>The exactly-once writer of the Kafka connector (5.0.0-2.2) creates an admin client to list and
 * abort its lingering transactions ({@code TransactionNamingStrategy.POOLING}) and never closes it.
 * On a session cluster that client's thread keeps every finished job's class loader alive: the task
 * manager ran out of metaspace after about a dozen bounded runs, and every job after that failed
 * for want of slots. This sink delegates everything to the {@code KafkaSink} and, when a writer
 * closes, also closes that admin client.
 *
 * <p>Its writers also never throw from {@code close}. The connector's writer rethrows there a send
 * failure it has already reported (e.g. {@code TopicAuthorizationException}, found once more when
 * the failed task is cleaned up). Flink 2.2 takes an exception while it cleans up a failed task as
 * "FATAL - exception in exception handler" and stops the whole task manager, with every other job
 * on it. Nothing is lost by logging it instead: every send the writer made is checked when it
 * flushes, at each checkpoint and at the end of the input, before anything it wrote is committed.
 */
public final class LeakFreeKafkaSink<T>
    implements TwoPhaseCommittingStatefulSink<T, KafkaWriterState, KafkaCommittable>,
        SupportsPostCommitTopology<KafkaCommittable>,
        LineageVertexProvider {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(LeakFreeKafkaSink.class);

  private final KafkaSink<T> sink;

  public LeakFreeKafkaSink(KafkaSink<T> sink) {
    this.sink = sink;
  }

  @Override
  public PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> createWriter(
      WriterInitContext context) throws IOException {
    return new Writer<>(sink.createWriter(context));
  }

  @Override
  public PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> restoreWriter(
      WriterInitContext context, Collection<KafkaWriterState> recoveredState) throws IOException {
    return new Writer<>(sink.restoreWriter(context, recoveredState));
  }

  @Override
  public SimpleVersionedSerializer<KafkaWriterState> getWriterStateSerializer() {
    return sink.getWriterStateSerializer();
  }

  @Override
  public Committer<KafkaCommittable> createCommitter(CommitterInitContext context)
      throws IOException {
    return sink.createCommitter(context);
  }

  @Override
  public SimpleVersionedSerializer<KafkaCommittable> getCommittableSerializer() {
    return sink.getCommittableSerializer();
  }

  @Override
  public void addPostCommitTopology(DataStream<CommittableMessage<KafkaCommittable>> committables) {
    sink.addPostCommitTopology(committables);
  }

  @Override
  public LineageVertex getLineageVertex() {
    return sink.getLineageVertex();
  }

  /** The connector's writer, and on close the admin client it left open. */
  static final class Writer<T>
      implements PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> {
    private final PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> writer;

    Writer(PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> writer) {
      this.writer = writer;
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
      writer.write(element, context);
    }

    @Override
    public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
      writer.writeWatermark(watermark);
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
      writer.flush(endOfInput);
    }

    @Override
    public Collection<KafkaCommittable> prepareCommit() throws IOException, InterruptedException {
      return writer.prepareCommit();
    }

    @Override
    public List<KafkaWriterState> snapshotState(long checkpointId) throws IOException {
      return writer.snapshotState(checkpointId);
    }

    @Override
    public void close() {
      try {
        writer.close();
      } catch (Exception e) {
        LOG.warn(
            "The Kafka writer failed to close (the failure it reports already failed the task)", e);
      } finally {
        closeAdminClientOf(writer);
      }
    }
  }

  /** Closes the writer's {@code adminClient} field, if it has one and it was opened. */
  static void closeAdminClientOf(Object writer) {
    Field field = adminClientField(writer.getClass());
    if (field == null) {
      return; // the at-least-once writer opens none
    }
    try {
      field.setAccessible(true);
      Object admin = field.get(writer);
      if (admin instanceof AutoCloseable closeable) {
        closeable.close();
        field.set(writer, null);
      }
    } catch (Exception e) {
      LOG.warn("Could not close the admin client of Kafka writer {}", writer.getClass(), e);
    }
  }

  private static Field adminClientField(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        return c.getDeclaredField("adminClient");
      } catch (NoSuchFieldException e) {
        // look further up
      }
    }
    return null;
  }
}
