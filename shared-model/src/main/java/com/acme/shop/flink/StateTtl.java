package com.acme.shop.flink;

import com.acme.shop.params.CommonParams;
import com.acme.shop.params.JobParameters;
import java.time.Duration;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;

/**
 * Time-to-live for keyed state that nothing clears by event time, such as the last known state of a
 * key that may go silent for good, set by {@code --state-ttl} ({@link CommonParams#STATE_TTL}).
 *
 * <p>Flink's TTL runs on processing time only (event-time TTL is not supported), so it is a bound
 * on memory, not part of any result: state a rule depends on is cleared by event-time timers, which
 * a replay reproduces; TTL catches what they cannot. Entries expire a TTL after they were created
 * or last written (reads do not extend them), are never returned once expired even if not yet
 * cleaned up, and are cleaned up in full snapshots, incrementally on access in heap state, and by
 * compaction in RocksDB.
 */
public final class StateTtl {
  private StateTtl() {}

  /** Entries checked per state access by the heap backend's incremental cleanup. */
  static final int INCREMENTAL_CLEANUP_ENTRIES = 10;

  /** Entries the RocksDB compaction filter processes before it refreshes the current time. */
  static final long COMPACTION_QUERY_TIME_AFTER_ENTRIES = 1000;

  public static StateTtlConfig config(Duration ttl) {
    return StateTtlConfig.newBuilder(ttl)
        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
        .cleanupFullSnapshot()
        .cleanupIncrementally(INCREMENTAL_CLEANUP_ENTRIES, false)
        .cleanupInRocksdbCompactFilter(COMPACTION_QUERY_TIME_AFTER_ENTRIES)
        .build();
  }

  /**
   * Enables the job's {@code --state-ttl} on {@code descriptor} and returns it, e.g. {@code
   * getState(StateTtl.expiring(new ValueStateDescriptor<>("last", Types.LONG), params))}. Call it
   * where the descriptor is built, before the function is shipped to the cluster.
   */
  public static <D extends StateDescriptor<?, ?>> D expiring(D descriptor, JobParameters params) {
    return expiring(descriptor, params.get(CommonParams.STATE_TTL));
  }

  public static <D extends StateDescriptor<?, ?>> D expiring(D descriptor, Duration ttl) {
    descriptor.enableTimeToLive(config(ttl));
    return descriptor;
  }
}
