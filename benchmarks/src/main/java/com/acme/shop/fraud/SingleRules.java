package com.acme.shop.fraud;

import com.acme.shop.flink.LateEvents;
import com.acme.shop.model.LoginEvent;
import com.acme.shop.model.PaymentTransaction;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Each rule of fraud-detection on its own, for the benchmark's breakdown of where the job's time
 * goes. In the job's package because the rules' builders are package-private.
 */
public final class SingleRules {
  private SingleRules() {}

  /** Rule name → the operators that compute it from the job's valid, on-time events. */
  public static Map<
          String, BiFunction<DataStream<PaymentTransaction>, DataStream<LoginEvent>, DataStream<?>>>
      all() {
    RuleSettings rules = RuleSettings.defaults();
    // Late events are not written anywhere here: the benchmark's input has none.
    LateEvents<PaymentTransaction> late = FraudDetectionJob.lateTransactions("bench.transactions");
    LateEvents<LoginEvent> lateLogins = FraudDetectionJob.lateLogins("bench.logins");
    Map<String, BiFunction<DataStream<PaymentTransaction>, DataStream<LoginEvent>, DataStream<?>>>
        all = new LinkedHashMap<>();
    all.put("card testing", (txns, logins) -> CardTesting.detect(txns, rules, late));
    all.put("velocity", (txns, logins) -> Velocity.detect(txns, rules, late));
    all.put("impossible travel", (txns, logins) -> ImpossibleTravel.detect(txns, rules, late));
    all.put(
        "account takeover", (txns, logins) -> AccountTakeover.detect(logins, rules, lateLogins));
    return all;
  }
}
