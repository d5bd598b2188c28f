package com.acme.shop.fraud;

import com.acme.shop.flink.CepLateEvents;
import com.acme.shop.flink.LateEvents;
import com.acme.shop.model.FraudAlert;
import com.acme.shop.model.FraudRule;
import com.acme.shop.model.LoginEvent;
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
 * {@code ACCOUNT_TAKEOVER}: someone guesses a password. A successful login of a user alerts when at
 * least {@code minFailures} failed logins of that user came right before it, with no success in
 * between, the first of them less than {@code within} before the success. The alert lists those
 * failures, then the success: all of them, or the latest {@code maxAlertEventIds - 1} after a
 * flood. The cap bounds the pattern's cost as in {@link CardTesting}: a password-guessing run of
 * thousands of failures would otherwise hold thousands of ever longer partial matches.
 *
 * <p>Why {@link AfterMatchSkipStrategy#skipPastLastEvent()}: a success ends the run of failures, so
 * nothing before it can take part in a later match. The success completes one match per failure
 * that can start one; Flink emits the earliest, which has all the failures, first, and the strategy
 * then discards the others and every partial match started before the success.
 */
final class AccountTakeover {
  private AccountTakeover() {}

  static final String FAILURES = "failures";
  static final String SUCCESS = "success";

  static SingleOutputStreamOperator<FraudAlert> detect(
      DataStream<LoginEvent> logins, RuleSettings settings, LateEvents<LoginEvent> late) {
    return CepLateEvents.caughtIn(
            CEP.pattern(logins.keyBy(LoginEvent::userId), pattern(settings), new ByEventId()), late)
        .process(new ToAlert(settings.maxAlertEventIds()))
        .uid("account-takeover")
        .name("ACCOUNT_TAKEOVER: failed logins, then a success (CEP)");
  }

  static Pattern<LoginEvent, ?> pattern(RuleSettings settings) {
    return Pattern.<LoginEvent>begin(FAILURES, AfterMatchSkipStrategy.skipPastLastEvent())
        .where(SimpleCondition.of(login -> !login.success()))
        .times(settings.takeoverMinFailures(), settings.maxAlertEventIds() - 1)
        .consecutive()
        .next(SUCCESS)
        .where(SimpleCondition.of(LoginEvent::success))
        .within(settings.takeoverWithin());
  }

  /** Logins of the same millisecond in a fixed order, so a replay matches the same way. */
  static final class ByEventId implements EventComparator<LoginEvent> {
    @Override
    public int compare(LoginEvent a, LoginEvent b) {
      return a.eventId().compareTo(b.eventId());
    }
  }

  static final class ToAlert extends PatternProcessFunction<LoginEvent, FraudAlert> {
    private final int maxEventIds;

    ToAlert(int maxEventIds) {
      this.maxEventIds = maxEventIds;
    }

    @Override
    public void processMatch(
        Map<String, List<LoginEvent>> match, Context ctx, Collector<FraudAlert> out) {
      List<LoginEvent> failures = match.get(FAILURES);
      LoginEvent success = match.get(SUCCESS).get(0);
      List<String> eventIds = new ArrayList<>(failures.size() + 1);
      failures.forEach(login -> eventIds.add(login.eventId()));
      eventIds.add(success.eventId());
      out.collect(
          Alerts.alert(
              FraudRule.ACCOUNT_TAKEOVER,
              success.userId(),
              eventIds,
              eventIds.size(),
              failures.get(0).eventTime().toEpochMilli(),
              success.eventTime().toEpochMilli(),
              Map.of(
                  "failedLogins", Integer.toString(failures.size()),
                  "ip", success.ip(),
                  "country", success.country(),
                  "deviceId", success.deviceId()),
              eventIds,
              maxEventIds));
    }
  }
}
