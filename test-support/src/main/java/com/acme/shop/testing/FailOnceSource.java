package com.acme.shop.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Wraps a job's source so that the job fails exactly once, mid-stream, after a checkpoint has
 * completed: the failure an exactly-once test needs, without depending on timing.
 *
 * <p>A reader that was given splits emits {@code recordsBeforeFailure} records, then slows down to
 * one record every {@link #SLOW_POLL_MILLIS} ms until a checkpoint taken after them has completed,
 * then throws from {@code pollNext}. (Holding records back entirely is not an option: a source
 * subtask without splits finishes at once, and the job then takes no checkpoint while another
 * subtask is stalled.) "Once" is kept per {@code name} in this JVM, which the MiniCluster shares
 * with the test, so the restarted attempt runs to the end.
 */
public final class FailOnceSource<T, SplitT extends SourceSplit, EnumT>
    implements Source<T, SplitT, EnumT>, ResultTypeQueryable<T> {
  private static final Map<String, AtomicBoolean> FAILED = new ConcurrentHashMap<>();

  private final Source<T, SplitT, EnumT> source;
  private final String name;
  private final int recordsBeforeFailure;

  static final long SLOW_POLL_MILLIS = 50;

  public FailOnceSource(Source<T, SplitT, EnumT> source, String name, int recordsBeforeFailure) {
    this.source = source;
    this.name = name;
    this.recordsBeforeFailure = recordsBeforeFailure;
  }

  /** Whether the job of {@code name} has failed yet. */
  public static boolean hasFailed(String name) {
    AtomicBoolean failed = FAILED.get(name);
    return failed != null && failed.get();
  }

  @Override
  public Boundedness getBoundedness() {
    return source.getBoundedness();
  }

  @Override
  public SourceReader<T, SplitT> createReader(SourceReaderContext context) throws Exception {
    return new Reader(source.createReader(context));
  }

  @Override
  public SplitEnumerator<SplitT, EnumT> createEnumerator(SplitEnumeratorContext<SplitT> context)
      throws Exception {
    return source.createEnumerator(context);
  }

  @Override
  public SplitEnumerator<SplitT, EnumT> restoreEnumerator(
      SplitEnumeratorContext<SplitT> context, EnumT checkpoint) throws Exception {
    return source.restoreEnumerator(context, checkpoint);
  }

  @Override
  public SimpleVersionedSerializer<SplitT> getSplitSerializer() {
    return source.getSplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<EnumT> getEnumeratorCheckpointSerializer() {
    return source.getEnumeratorCheckpointSerializer();
  }

  @Override
  @SuppressWarnings("unchecked")
  public TypeInformation<T> getProducedType() {
    return ((ResultTypeQueryable<T>) source).getProducedType();
  }

  private final class Reader implements SourceReader<T, SplitT> {
    private final SourceReader<T, SplitT> reader;
    private boolean hasSplits;
    private int records;
    private long checkpointAfterRecords = -1;
    private boolean checkpointCompleted;

    Reader(SourceReader<T, SplitT> reader) {
      this.reader = reader;
    }

    @Override
    public void start() {
      reader.start();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
      if (holdsBack()) {
        if (checkpointCompleted
            && FAILED.computeIfAbsent(name, n -> new AtomicBoolean()).compareAndSet(false, true)) {
          throw new IllegalStateException("planted failure of " + name + " after a checkpoint");
        }
        // Gives checkpoints time to complete before the input ends.
        Thread.sleep(SLOW_POLL_MILLIS);
      }
      InputStatus status = reader.pollNext(output);
      if (status == InputStatus.MORE_AVAILABLE) {
        records++;
      }
      return status;
    }

    /** Whether this reader is slowed down, waiting for a checkpoint to fail after. */
    private boolean holdsBack() {
      return hasSplits && records >= recordsBeforeFailure && !hasFailed(name);
    }

    @Override
    public List<SplitT> snapshotState(long checkpointId) {
      if (holdsBack() && checkpointAfterRecords < 0) {
        checkpointAfterRecords = checkpointId;
      }
      return reader.snapshotState(checkpointId);
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
      return reader.isAvailable();
    }

    @Override
    public void addSplits(List<SplitT> splits) {
      hasSplits |= !splits.isEmpty();
      reader.addSplits(splits);
    }

    @Override
    public void notifyNoMoreSplits() {
      reader.notifyNoMoreSplits();
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
      if (checkpointAfterRecords >= 0 && checkpointId >= checkpointAfterRecords) {
        checkpointCompleted = true;
      }
      reader.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
      reader.notifyCheckpointAborted(checkpointId);
    }

    @Override
    public void pauseOrResumeSplits(
        java.util.Collection<String> splitsToPause, java.util.Collection<String> splitsToResume) {
      reader.pauseOrResumeSplits(splitsToPause, splitsToResume);
    }

    @Override
    public void close() throws Exception {
      reader.close();
    }
  }
}
