package com.acme.shop.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.flink.connector.kafka.sink.TwoPhaseCommittingStatefulSink.PrecommittingStatefulSinkWriter;
import org.junit.jupiter.api.Test;

/** What the wrapper adds to the connector's writer on close. */
class LeakFreeKafkaSinkTest {
  /** A writer as the connector's is after a failed send: close rethrows, admin client open. */
  static final class FailedWriter
      implements PrecommittingStatefulSinkWriter<String, KafkaWriterState, KafkaCommittable> {
    @SuppressWarnings("unused") // found by name, as in the connector's writer
    AutoCloseable adminClient = () -> adminClosed = true;

    boolean adminClosed;

    @Override
    public void write(String element, Context context) {}

    @Override
    public void flush(boolean endOfInput) {}

    @Override
    public Collection<KafkaCommittable> prepareCommit() {
      return List.of();
    }

    @Override
    public List<KafkaWriterState> snapshotState(long checkpointId) {
      return List.of();
    }

    @Override
    public void close() throws IOException {
      throw new IOException("One or more Kafka Producer send requests have encountered exception");
    }
  }

  @Test
  void aWriterThatFailsToCloseNeitherThrowsNorLeavesItsAdminClientOpen() {
    FailedWriter failed = new FailedWriter();
    LeakFreeKafkaSink.Writer<String> writer = new LeakFreeKafkaSink.Writer<>(failed);
    // Thrown from close while Flink cleans up the failed task, it would stop the task manager.
    assertThatCode(writer::close).doesNotThrowAnyException();
    assertThat(failed.adminClosed).isTrue();
  }
}
