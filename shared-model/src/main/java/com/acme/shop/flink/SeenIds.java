package com.acme.shop.flink;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * The ids the current key has seen recently, to recognise a redelivered or replayed event: keyed
 * {@code MapState} from id to the event time it was first seen at, kept for a bounded {@code
 * retention} of event time.
 *
 * <p>Each new id registers an event-time timer at {@code eventTime + retention}; the owning keyed
 * function calls {@link #forgetUntil} from {@code onTimer}, which drops the ids whose retention has
 * passed. So a duplicate is recognised as long as the watermark has not passed the first one's
 * event time plus the retention, and with a final watermark (a bounded run) the state is empty at
 * the end. The timers are event time, so a replay forgets exactly as the live run did.
 *
 * <pre>{@code
 * open:    seen = new SeenIds(getRuntimeContext(), "seen-txn-ids", Duration.ofHours(1));
 * process: if (seen.firstTime(txn.txnId(), ctx.timestamp(), ctx.timerService())) { ... }
 * onTimer: seen.forgetUntil(timestamp);
 * }</pre>
 */
public final class SeenIds {
  private final MapState<String, Long> seen;
  private final long retentionMs;

  public SeenIds(RuntimeContext context, String stateName, Duration retention) {
    this.seen = context.getMapState(descriptor(stateName));
    this.retentionMs = retention.toMillis();
  }

  /** The state's descriptor: id to event time, in epoch ms. */
  public static MapStateDescriptor<String, Long> descriptor(String stateName) {
    return new MapStateDescriptor<>(stateName, Types.STRING, Types.LONG);
  }

  /**
   * True the first time the current key sees {@code id} within the retention, and remembers it;
   * false for a duplicate.
   */
  public boolean firstTime(String id, long eventTime, TimerService timers) throws Exception {
    if (seen.contains(id)) {
      return false;
    }
    seen.put(id, eventTime);
    timers.registerEventTimeTimer(eventTime + retentionMs);
    return true;
  }

  /** Forgets the ids first seen at or before {@code time - retention}; call it from onTimer. */
  public void forgetUntil(long time) throws Exception {
    Iterator<Map.Entry<String, Long>> it = seen.iterator();
    while (it.hasNext()) {
      if (it.next().getValue() + retentionMs <= time) {
        it.remove();
      }
    }
    // Removing the last entry through an iterator leaves an empty map per key on the heap backend.
    if (seen.isEmpty()) {
      seen.clear();
    }
  }
}
