package com.acme.shop.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KafkaSource} whose readers commit the consumer group's offsets themselves: after each
 * completed checkpoint in order on one thread, newest first, and at the end of a bounded run the
 * final offsets synchronously and with retries, once the last checkpoint has completed and the
 * Kafka reader has closed. The Kafka source's own commits must be switched off ({@code
 * commit.offsets.on.checkpoint=false}), see {@link KafkaSources}.
 *
 * <p>The Kafka source commits offsets only asynchronously on checkpoint completion and drops a
 * commit that fails: its comment says the committed offsets are for monitoring only. A bounded run
 * has one checkpoint after the end of its input, so that one commit is all there is. It fails
 * whenever the group coordinator is not ready, which on a fresh broker is the case for the first
 * commit of every group ({@code COORDINATOR_NOT_AVAILABLE} while {@code __consumer_offsets} is
 * created), and it races with the reader closing. Seen here: bounded runs that ended FINISHED with
 * their group's offsets missing or behind. A later run with {@code --starting-offsets committed}
 * would then read those records again.
 *
 * <p>Its own commits could not simply be followed by one more: on the standalone cluster they were
 * still landing after the reader had closed, and moved the group back (1607 to 967 in one run). So
 * this reader is the only one committing. The offsets of a checkpoint are those the Kafka reader
 * snapshots for its splits (the next offset to read), and for a split that has finished its
 * stopping offset, as the Kafka source commits them too.
 */
public final class FinalOffsetsCommittingSource<T>
    implements Source<T, KafkaPartitionSplit, KafkaSourceEnumState>, ResultTypeQueryable<T> {
  private static final long serialVersionUID = 1L;

  /** How long a reader keeps trying to commit before it gives up with a warning. */
  static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaSource<T> source;
  private final Properties clientProperties;
  private final String groupId;

  /**
   * @param clientProperties the settings of the source's own clients (bootstrap servers and
   *     security), for the admin client that commits the group's offsets
   */
  public FinalOffsetsCommittingSource(
      KafkaSource<T> source, Properties clientProperties, String groupId) {
    this.source = source;
    this.clientProperties = clientProperties;
    this.groupId = groupId;
  }

  @Override
  public Boundedness getBoundedness() {
    return source.getBoundedness();
  }

  @Override
  public SourceReader<T, KafkaPartitionSplit> createReader(SourceReaderContext context)
      throws Exception {
    return new Reader<>(source.createReader(context), this, context);
  }

  @Override
  public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
      SplitEnumeratorContext<KafkaPartitionSplit> context) throws Exception {
    return source.createEnumerator(context);
  }

  @Override
  public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
      SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState checkpoint)
      throws Exception {
    return source.restoreEnumerator(context, checkpoint);
  }

  @Override
  public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
    return source.getSplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
    return source.getEnumeratorCheckpointSerializer();
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return source.getProducedType();
  }

  /** An admin client for the group's offsets; one per reader, closed with it. */
  Admin createAdmin() {
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, groupId + "-offsets");
    return Admin.create(props);
  }

  /**
   * Commits {@code offsets} for the group, trying again until {@code deadlineNanos} ({@link
   * System#nanoTime}); a deadline already passed means a single try.
   */
  void commit(Admin admin, Map<TopicPartition, OffsetAndMetadata> offsets, long deadlineNanos)
      throws Exception {
    while (true) {
      try {
        admin
            .alterConsumerGroupOffsets(groupId, offsets)
            .all()
            .get(COMMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadlineNanos) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  /** Delegates everything, remembering the stopping offsets and when the input ended. */
  static final class Reader<T> implements SourceReader<T, KafkaPartitionSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(FinalOffsetsCommittingSource.class);

    private final SourceReader<T, KafkaPartitionSplit> reader;
    private final FinalOffsetsCommittingSource<T> source;
    private final Counter failedCommits;
    private final Map<TopicPartition, OffsetAndMetadata> stoppingOffsets = new HashMap<>();
    private final Set<TopicPartition> assigned = new HashSet<>();
    private final TreeMap<Long, Map<TopicPartition, OffsetAndMetadata>> offsetsOfCheckpoints =
        new TreeMap<>();
    private final AtomicReference<Map<TopicPartition, OffsetAndMetadata>> nextCommit =
        new AtomicReference<>();
    private final ExecutorService committer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "offset-committer");
              t.setDaemon(true);
              return t;
            });

    /** Created on the first commit; used by one thread at a time (the committer, then close). */
    private Admin admin;

    private boolean endOfInput;
    private long firstCheckpointAfterEnd = -1;
    private boolean finalCheckpointCompleted;

    Reader(
        SourceReader<T, KafkaPartitionSplit> reader,
        FinalOffsetsCommittingSource<T> source,
        SourceReaderContext context) {
      this.reader = reader;
      this.source = source;
      this.failedCommits = context.metricGroup().counter("finalOffsetCommitsFailed");
    }

    @Override
    public void start() {
      reader.start();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
      InputStatus status = reader.pollNext(output);
      if (status == InputStatus.END_OF_INPUT) {
        endOfInput = true;
      }
      return status;
    }

    @Override
    public List<KafkaPartitionSplit> snapshotState(long checkpointId) {
      if (endOfInput && firstCheckpointAfterEnd < 0) {
        firstCheckpointAfterEnd = checkpointId;
      }
      List<KafkaPartitionSplit> splits = reader.snapshotState(checkpointId);
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      Set<TopicPartition> active = new HashSet<>();
      for (KafkaPartitionSplit split : splits) {
        active.add(split.getTopicPartition());
        // Negative: the split's start (earliest, committed, ...) is not resolved yet.
        if (split.getStartingOffset() >= 0) {
          offsets.put(split.getTopicPartition(), new OffsetAndMetadata(split.getStartingOffset()));
        }
      }
      for (TopicPartition finished : assigned) {
        if (!active.contains(finished) && stoppingOffsets.containsKey(finished)) {
          offsets.put(finished, stoppingOffsets.get(finished));
        }
      }
      if (!offsets.isEmpty()) {
        offsetsOfCheckpoints.put(checkpointId, offsets);
      }
      return splits;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
      return reader.isAvailable();
    }

    @Override
    public void addSplits(List<KafkaPartitionSplit> splits) {
      for (KafkaPartitionSplit split : splits) {
        assigned.add(split.getTopicPartition());
        split
            .getStoppingOffset()
            .filter(offset -> offset >= 0)
            .ifPresent(
                offset ->
                    stoppingOffsets.put(split.getTopicPartition(), new OffsetAndMetadata(offset)));
      }
      reader.addSplits(splits);
    }

    @Override
    public void notifyNoMoreSplits() {
      reader.notifyNoMoreSplits();
    }

    @Override
    public void handleSourceEvents(SourceEvent sourceEvent) {
      reader.handleSourceEvents(sourceEvent);
    }

    @Override
    public void pauseOrResumeSplits(
        Collection<String> splitsToPause, Collection<String> splitsToResume) {
      reader.pauseOrResumeSplits(splitsToPause, splitsToResume);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
      reader.notifyCheckpointComplete(checkpointId);
      Map<TopicPartition, OffsetAndMetadata> offsets = offsetsOfCheckpoints.get(checkpointId);
      offsetsOfCheckpoints.headMap(checkpointId, true).clear();
      if (offsets != null) {
        // Only the newest offsets are committed; a commit still waiting is replaced, never
        // overtaken, so the group's offsets never move back.
        if (nextCommit.getAndSet(offsets) == null) {
          committer.execute(this::commitNewest);
        }
      }
      if (firstCheckpointAfterEnd >= 0 && checkpointId >= firstCheckpointAfterEnd) {
        // Everything this reader emitted is in a completed checkpoint: the run's output is
        // committed, and so may its offsets be.
        finalCheckpointCompleted = true;
      }
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
      reader.notifyCheckpointAborted(checkpointId);
    }

    /**
     * Commits after the Kafka reader closed, not on the checkpoint notification: the reader's own
     * asynchronous commits of earlier checkpoints may still be pending until it closes, and one
     * landing after ours would move the group's offsets back (seen here).
     */
    @Override
    public void close() throws Exception {
      reader.close();
      committer.shutdown();
      committer.awaitTermination(
          FinalOffsetsCommittingSource.COMMIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      try {
        if (finalCheckpointCompleted && !stoppingOffsets.isEmpty()) {
          commitFinalOffsets();
        }
      } finally {
        if (admin != null) {
          admin.close();
        }
      }
    }

    private Admin admin() {
      if (admin == null) {
        admin = source.createAdmin();
      }
      return admin;
    }

    /** Commits of running checkpoints are bookkeeping: one try, a failure only logged. */
    private void commitNewest() {
      Map<TopicPartition, OffsetAndMetadata> offsets = nextCommit.getAndSet(null);
      if (offsets == null) {
        return;
      }
      try {
        source.commit(admin(), offsets, System.nanoTime());
      } catch (Exception e) {
        LOG.debug("Could not commit offsets {} of group {}", offsets, source.groupId, e);
      }
    }

    private void commitFinalOffsets() {
      try {
        source.commit(
            admin(),
            stoppingOffsets,
            System.nanoTime() + FinalOffsetsCommittingSource.COMMIT_TIMEOUT.toNanos());
        LOG.info("Committed the final offsets {} of group {}", stoppingOffsets, source.groupId);
      } catch (Exception e) {
        // The output is complete and committed; only the group's bookkeeping is behind.
        failedCommits.inc();
        LOG.warn(
            "Could not commit the final offsets {} of group {}; a later run from committed"
                + " offsets would read these records again",
            stoppingOffsets,
            source.groupId,
            e);
      }
    }
  }
}
