package com.acme.shop.fraud;

import com.acme.shop.flink.LateEvents;
import com.acme.shop.json.Json;
import com.acme.shop.model.FraudAlert;
import com.acme.shop.model.FraudRule;
import com.acme.shop.model.PaymentTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * {@code VELOCITY}: a card used more than {@code maxTransactions} times, any status, in one sliding
 * event-time window of {@code window} that slides every {@code slide}; one alert per (card,
 * window), with the window's bounds and count.
 *
 * <p>The windows are Flink's (aligned to the epoch, half-open, fired when the watermark passes
 * their end), computed from slices: each transaction is added once, to the {@code slide}-long slice
 * it falls in, and a window is the sum of the {@code window / slide} slices it covers. Flink's own
 * sliding windows would copy every transaction into each of the six windows holding it, and fire
 * each of them. Here only a window over the threshold fires, and one more timer per card drops the
 * slices no open window holds any more.
 *
 * <p>A transaction at or behind the watermark goes to the late topic: every window holding it may
 * have fired already. Allowed lateness is applied before this operator, by holding the watermark
 * back, so a window fires once.
 */
final class Velocity {
  private Velocity() {}

  static SingleOutputStreamOperator<FraudAlert> detect(
      DataStream<PaymentTransaction> transactions,
      RuleSettings settings,
      LateEvents<PaymentTransaction> late) {
    return transactions
        .keyBy(PaymentTransaction::cardId)
        .process(new SlicedWindows(settings, late))
        .uid("velocity")
        .name("VELOCITY: transactions per card, sliding window");
  }

  /** One card's transactions of one slice: how many, when, and their ids. */
  public static final class Slice {
    public long start;
    public int count;
    public long firstTime = Long.MAX_VALUE;
    public long lastTime = Long.MIN_VALUE;
    public List<TimedId> events = new ArrayList<>();

    public Slice() {}

    Slice(long start) {
      this.start = start;
    }

    void add(long time, String txnId, int maxIds) {
      count++;
      firstTime = Math.min(firstTime, time);
      lastTime = Math.max(lastTime, time);
      // A flood on one card must not grow the state without bound; the count stays exact. The
      // first ids are kept, and the last slot holds the latest, as the alert lists them.
      TimedId event = new TimedId(time, txnId);
      if (events.size() < maxIds) {
        events.add(event);
      } else if (BY_TIME_THEN_ID.compare(event, events.get(maxIds - 1)) > 0) {
        events.set(maxIds - 1, event);
      }
    }
  }

  static final Comparator<TimedId> BY_TIME_THEN_ID =
      Comparator.comparingLong(TimedId::time).thenComparing(TimedId::id);

  /** A transaction's time and id: all an alert needs of it. */
  public record TimedId(long time, String id) {}

  /** One card's slices, oldest first. */
  public static final class CardSlices {
    public List<Slice> slices = new ArrayList<>();

    /** When the timer that drops old slices fires; {@code Long.MIN_VALUE} when none is set. */
    public long purgeAt = Long.MIN_VALUE;

    public CardSlices() {}

    /** The slice starting at {@code start}, made empty if missing. */
    Slice slice(long start) {
      // Transactions mostly arrive in time order: the newest slice is the likely one.
      int i = slices.size() - 1;
      while (i >= 0 && slices.get(i).start > start) {
        i--;
      }
      if (i >= 0 && slices.get(i).start == start) {
        return slices.get(i);
      }
      Slice made = new Slice(start);
      slices.add(i + 1, made);
      return made;
    }
  }

  static final class SlicedWindows
      extends KeyedProcessFunction<String, PaymentTransaction, FraudAlert> {
    private final long windowMs;
    private final long slideMs;
    private final int maxTransactions;
    private final int maxEventIds;
    private final LateEvents<PaymentTransaction> late;
    private transient ValueState<CardSlices> slices;

    SlicedWindows(RuleSettings settings, LateEvents<PaymentTransaction> late) {
      this.windowMs = settings.velocityWindow().toMillis();
      this.slideMs = settings.velocitySlide().toMillis();
      this.maxTransactions = settings.velocityMaxTransactions();
      this.maxEventIds = settings.maxAlertEventIds();
      this.late = late;
    }

    @Override
    public void open(OpenContext openContext) {
      slices =
          getRuntimeContext()
              .getState(new ValueStateDescriptor<>("velocity-slices", CardSlices.class));
    }

    @Override
    public void processElement(PaymentTransaction txn, Context ctx, Collector<FraudAlert> out)
        throws Exception {
      long time = ctx.timestamp();
      if (LateEvents.isLate(time, 0, ctx.timerService().currentWatermark())) {
        ctx.output(late.tag(), txn);
        return;
      }
      CardSlices card = slices.value();
      if (card == null) {
        card = new CardSlices();
      }
      long sliceStart = time - Math.floorMod(time, slideMs);
      card.slice(sliceStart).add(time, txn.txnId(), maxEventIds);
      if (card.purgeAt == Long.MIN_VALUE) {
        card.purgeAt = lastWindowEnd(card) - 1;
        ctx.timerService().registerEventTimeTimer(card.purgeAt);
      }
      // Most cards never come near the threshold: then no window needs to fire at all. A window
      // that goes over it stays over (counts only grow), so its timer is set once it does.
      if (count(card, Long.MIN_VALUE, Long.MAX_VALUE) > maxTransactions) {
        for (long end = sliceStart + slideMs; end <= sliceStart + windowMs; end += slideMs) {
          if (count(card, end - windowMs, end) > maxTransactions) {
            ctx.timerService().registerEventTimeTimer(end - 1);
          }
        }
      }
      slices.update(card);
    }

    /**
     * Fires the window ending right after {@code timestamp}, as Flink fires at maxTimestamp: a
     * window over the threshold, or the purge of slices no open window holds any more.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FraudAlert> out)
        throws Exception {
      CardSlices card = slices.value();
      if (card == null) {
        return;
      }
      long windowEnd = timestamp + 1;
      long windowStart = windowEnd - windowMs;
      int count = count(card, windowStart, windowEnd);
      if (count > maxTransactions) {
        out.collect(alert(ctx.getCurrentKey(), card, windowStart, windowEnd, count));
      }
      // A slice's last window ends one window length after its start.
      card.slices.removeIf(s -> s.start + windowMs <= windowEnd);
      if (card.slices.isEmpty()) {
        slices.clear();
        return;
      }
      if (card.purgeAt <= timestamp) {
        card.purgeAt = lastWindowEnd(card) - 1;
        ctx.timerService().registerEventTimeTimer(card.purgeAt);
      }
      slices.update(card);
    }

    /** The end of the last window over the card's newest slice. */
    private long lastWindowEnd(CardSlices card) {
      return card.slices.get(card.slices.size() - 1).start + windowMs;
    }

    private static int count(CardSlices card, long windowStart, long windowEnd) {
      int count = 0;
      for (Slice s : card.slices) {
        if (s.start >= windowStart && s.start < windowEnd) {
          count += s.count;
        }
      }
      return count;
    }

    private FraudAlert alert(
        String cardId, CardSlices card, long windowStart, long windowEnd, int count) {
      List<TimedId> events = new ArrayList<>();
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (Slice s : card.slices) {
        if (s.start >= windowStart && s.start < windowEnd) {
          events.addAll(s.events);
          first = Math.min(first, s.firstTime);
          last = Math.max(last, s.lastTime);
        }
      }
      events.sort(BY_TIME_THEN_ID);
      List<String> ids = new ArrayList<>(events.size());
      events.forEach(e -> ids.add(e.id()));
      String start = Json.formatInstant(Instant.ofEpochMilli(windowStart));
      String end = Json.formatInstant(Instant.ofEpochMilli(windowEnd));
      return Alerts.alert(
          FraudRule.VELOCITY,
          cardId,
          ids,
          count,
          first,
          last,
          Map.of("windowStart", start, "windowEnd", end, "count", Integer.toString(count)),
          // The window is what the alert is about: one alert per (card, window).
          List.of(start, end),
          maxEventIds);
    }
  }
}
