package com.acme.shop.fraud;

import com.acme.shop.flink.CepLateEvents;
import com.acme.shop.flink.LateEvents;
import com.acme.shop.model.FraudAlert;
import com.acme.shop.model.FraudRule;
import com.acme.shop.model.PaymentTransaction;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.EventComparator;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;

/**
 * {@code CARD_TESTING}: a fraudster checks a stolen card with a few tiny charges, then spends big.
 * Every transaction of {@code largeFrom} or more alerts once when at least {@code minSmall}
 * transactions under {@code smallBelow} of the same card came less than {@code within} before it,
 * whatever their status. The alert lists those small ones, then the large one: all of them, or the
 * latest {@code maxAlertEventIds - 1} in a flood.
 *
 * <p>The cap also bounds the pattern's cost. Each small transaction starts a partial match that
 * takes the small ones after it; unbounded, a card with n small transactions in ten minutes holds n
 * partial matches of up to n events, and matching grew with n cubed (48 s for 1,000 in a harness
 * here). Capped, a partial match that is full dies at the next small one, so a card holds at most
 * cap partial matches of at most cap events, and the large one completes with the latest.
 *
 * <p>Only small and large transactions reach the pattern: the others may come in between and cannot
 * change a match, so the pattern need not buffer them.
 *
 * <p>Why {@link AfterMatchSkipStrategy#noSkip()}: a small transaction that helped one alert must
 * still count for the next large one, and every other strategy discards the partial matches that
 * started before the match ended, small ones included. Without skipping, a large transaction
 * completes one match per small transaction that can start one (the first, the second, ... of the
 * run, each with all small ones after it, since the loop is greedy). Flink emits those together,
 * ordered by their start, so the first is the longest; {@link ToAlert} keeps it and drops the rest,
 * which are its own tails.
 */
final class CardTesting {
  private CardTesting() {}

  static final String SMALL = "small";
  static final String LARGE = "large";

  static SingleOutputStreamOperator<FraudAlert> detect(
      DataStream<PaymentTransaction> transactions,
      RuleSettings settings,
      LateEvents<PaymentTransaction> late) {
    BigDecimal smallBelow = settings.smallBelow();
    BigDecimal largeFrom = settings.largeFrom();
    DataStream<PaymentTransaction> smallOrLarge =
        transactions
            .filter(t -> isSmall(t, smallBelow) || isLarge(t, largeFrom))
            .name("small and large transactions, for card testing");
    return CepLateEvents.caughtIn(
            CEP.pattern(
                smallOrLarge.keyBy(PaymentTransaction::cardId), pattern(settings), new ByTxnId()),
            late)
        .process(new ToAlert(settings.maxAlertEventIds()))
        .uid("card-testing")
        .name("CARD_TESTING: small transactions, then a large one (CEP)");
  }

  static Pattern<PaymentTransaction, ?> pattern(RuleSettings settings) {
    BigDecimal smallBelow = settings.smallBelow();
    BigDecimal largeFrom = settings.largeFrom();
    return Pattern.<PaymentTransaction>begin(SMALL, AfterMatchSkipStrategy.noSkip())
        .where(SimpleCondition.of(t -> isSmall(t, smallBelow)))
        .times(settings.minSmall(), settings.maxAlertEventIds() - 1)
        .greedy()
        .followedBy(LARGE)
        .where(SimpleCondition.of(t -> isLarge(t, largeFrom)))
        .within(settings.cardTestingWithin());
  }

  static boolean isSmall(PaymentTransaction t, BigDecimal smallBelow) {
    return t.amount().compareTo(smallBelow) < 0;
  }

  static boolean isLarge(PaymentTransaction t, BigDecimal largeFrom) {
    return t.amount().compareTo(largeFrom) >= 0;
  }

  /** Transactions of the same millisecond in a fixed order, so a replay matches the same way. */
  static final class ByTxnId implements EventComparator<PaymentTransaction> {
    @Override
    public int compare(PaymentTransaction a, PaymentTransaction b) {
      return a.txnId().compareTo(b.txnId());
    }
  }

  static final class ToAlert extends PatternProcessFunction<PaymentTransaction, FraudAlert> {
    private final int maxEventIds;

    // The match last alerted on; its tails follow it in the same call of the CEP operator.
    private transient String lastLargeId;
    private transient long lastLargeTime;
    private transient List<String> lastSmallIds;

    ToAlert(int maxEventIds) {
      this.maxEventIds = maxEventIds;
    }

    @Override
    public void processMatch(
        Map<String, List<PaymentTransaction>> match, Context ctx, Collector<FraudAlert> out) {
      List<PaymentTransaction> smalls = match.get(SMALL);
      PaymentTransaction large = match.get(LARGE).get(0);
      List<String> smallIds = new ArrayList<>(smalls.size());
      smalls.forEach(t -> smallIds.add(t.txnId()));
      if (isTailOfLastMatch(large, smallIds)) {
        return;
      }
      lastLargeId = large.txnId();
      lastLargeTime = large.eventTime().toEpochMilli();
      lastSmallIds = smallIds;

      List<String> eventIds = new ArrayList<>(smallIds);
      eventIds.add(large.txnId());
      out.collect(
          Alerts.alert(
              FraudRule.CARD_TESTING,
              large.cardId(),
              eventIds,
              eventIds.size(),
              smalls.get(0).eventTime().toEpochMilli(),
              large.eventTime().toEpochMilli(),
              Map.of(
                  "smallTransactions", Integer.toString(smalls.size()),
                  "largeAmount", large.amount().toPlainString()),
              eventIds,
              maxEventIds));
    }

    /** The same large transaction with fewer of the same small ones: a shorter match. */
    private boolean isTailOfLastMatch(PaymentTransaction large, List<String> smallIds) {
      return lastSmallIds != null
          && large.txnId().equals(lastLargeId)
          && large.eventTime().toEpochMilli() == lastLargeTime
          && smallIds.size() < lastSmallIds.size()
          && lastSmallIds
              .subList(lastSmallIds.size() - smallIds.size(), lastSmallIds.size())
              .equals(smallIds);
    }
  }
}
