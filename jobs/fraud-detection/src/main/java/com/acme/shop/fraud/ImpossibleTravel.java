package com.acme.shop.fraud;

import com.acme.shop.flink.LateEvents;
import com.acme.shop.model.FraudAlert;
import com.acme.shop.model.FraudRule;
import com.acme.shop.model.PaymentTransaction;
import com.acme.shop.model.TransactionStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * {@code IMPOSSIBLE_TRAVEL}: one card, two countries, too little time between. Two consecutive
 * approved transactions of a card, in event-time order, from different countries and less than
 * {@code maxGap} apart give one alert with both ids, both countries and the gap.
 *
 * <p>"Consecutive" is meant in event time, not in arrival order, so each transaction waits in keyed
 * state until the watermark passes it; then the waiting ones are taken in time order (ties by
 * txnId). Out-of-order arrival within the watermark's bound thus gives the same pairs. The last
 * transaction of a card is kept only for {@code maxGap}: a later one cannot pair with it anyway. A
 * transaction at or behind the watermark is late: its neighbours may have been paired already.
 */
final class ImpossibleTravel {
  private ImpossibleTravel() {}

  static SingleOutputStreamOperator<FraudAlert> detect(
      DataStream<PaymentTransaction> transactions,
      RuleSettings settings,
      LateEvents<PaymentTransaction> late) {
    return transactions
        .keyBy(PaymentTransaction::cardId)
        .process(new ConsecutiveCountries(settings, late))
        .uid("impossible-travel")
        .name("IMPOSSIBLE_TRAVEL: consecutive approved transactions per card");
  }

  /** Where and when a card was used: all this rule keeps of a transaction. */
  public record CardUse(String txnId, String country, long time) {}

  static final class ConsecutiveCountries
      extends KeyedProcessFunction<String, PaymentTransaction, FraudAlert> {
    private static final Comparator<CardUse> BY_TXN_ID = Comparator.comparing(CardUse::txnId);

    private final long maxGapMs;
    private final int maxEventIds;
    private final LateEvents<PaymentTransaction> late;
    private transient MapState<Long, List<CardUse>> waiting;
    private transient ValueState<CardUse> previous;
    // When the one cleanup timer of the card fires; a timer per transaction would be most of the
    // state of a busy job (one per approved transaction of the last hour).
    private transient ValueState<Long> cleanupAt;

    ConsecutiveCountries(RuleSettings settings, LateEvents<PaymentTransaction> late) {
      this.maxGapMs = settings.travelMaxGap().toMillis();
      this.maxEventIds = settings.maxAlertEventIds();
      this.late = late;
    }

    @Override
    public void open(OpenContext openContext) {
      waiting =
          getRuntimeContext()
              .getMapState(
                  new MapStateDescriptor<>(
                      "travel-waiting",
                      Types.LONG,
                      TypeInformation.of(new TypeHint<List<CardUse>>() {})));
      previous =
          getRuntimeContext()
              .getState(new ValueStateDescriptor<>("travel-previous", CardUse.class));
      cleanupAt =
          getRuntimeContext().getState(new ValueStateDescriptor<>("travel-cleanup-at", Types.LONG));
    }

    @Override
    public void processElement(PaymentTransaction txn, Context ctx, Collector<FraudAlert> out)
        throws Exception {
      long time = ctx.timestamp();
      if (LateEvents.isLate(time, 0, ctx.timerService().currentWatermark())) {
        ctx.output(late.tag(), txn);
        return;
      }
      // Declined transactions are no travel; filtered here rather than before the shuffle, so that
      // this one function holds the whole rule.
      if (txn.status() != TransactionStatus.APPROVED) {
        return;
      }
      List<CardUse> at = waiting.get(time);
      if (at == null) {
        at = new ArrayList<>(1);
        ctx.timerService().registerEventTimeTimer(time);
      }
      at.add(new CardUse(txn.txnId(), txn.country(), time));
      waiting.put(time, at);
    }

    /**
     * The watermark passed {@code timestamp}: the transactions of that millisecond take their turn,
     * then a last one too old to pair with anything is dropped.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FraudAlert> out)
        throws Exception {
      List<CardUse> due = waiting.get(timestamp);
      if (due != null) {
        waiting.remove(timestamp);
        due.sort(BY_TXN_ID);
        for (CardUse use : due) {
          CardUse before = previous.value();
          if (before != null
              && !before.country().equals(use.country())
              && use.time() - before.time() < maxGapMs) {
            out.collect(alert(ctx.getCurrentKey(), before, use));
          }
          previous.update(use);
        }
      }
      keepUntilNothingCanPair(timestamp, ctx.timerService());
    }

    /**
     * Drops the card's last transaction once the watermark is {@code maxGap} past it. One cleanup
     * timer at a time: when it fires for a transaction that has been replaced since, it is moved to
     * the newer one's time. Timers are never deleted, as one may also be a waiting transaction's.
     */
    private void keepUntilNothingCanPair(long now, TimerService timers) throws Exception {
      CardUse last = previous.value();
      Long pending = cleanupAt.value();
      if (last == null) {
        cleanupAt.clear();
      } else if (last.time() + maxGapMs <= now) {
        previous.clear();
        cleanupAt.clear();
      } else if (pending == null || pending <= now) {
        cleanupAt.update(last.time() + maxGapMs);
        timers.registerEventTimeTimer(last.time() + maxGapMs);
      }
    }

    private FraudAlert alert(String cardId, CardUse before, CardUse after) {
      List<String> ids = List.of(before.txnId(), after.txnId());
      String gapMinutes =
          BigDecimal.valueOf(after.time() - before.time())
              .divide(BigDecimal.valueOf(60_000), 1, RoundingMode.DOWN)
              .toPlainString();
      return Alerts.alert(
          FraudRule.IMPOSSIBLE_TRAVEL,
          cardId,
          ids,
          ids.size(),
          before.time(),
          after.time(),
          Map.of(
              "fromCountry", before.country(),
              "toCountry", after.country(),
              "gapMinutes", gapMinutes),
          ids,
          maxEventIds);
    }
  }
}
