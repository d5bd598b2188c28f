package com.acme.shop.fraud;

import com.acme.shop.flink.LateEvents;
import com.acme.shop.model.Channel;
import com.acme.shop.model.FraudAlert;
import com.acme.shop.model.LoginEvent;
import com.acme.shop.model.PaymentTransaction;
import com.acme.shop.model.TransactionStatus;
import com.acme.shop.testing.Harnesses;
import com.acme.shop.topics.Topics;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** Transactions, logins, times and watermarks for harness tests of the job's rules. */
final class Fixtures {
  private Fixtures() {}

  static final RuleSettings RULES = RuleSettings.defaults();

  static final LateEvents<PaymentTransaction> LATE_TRANSACTIONS =
      FraudDetectionJob.lateTransactions(Topics.TRANSACTIONS.defaultName());
  static final LateEvents<LoginEvent> LATE_LOGINS =
      FraudDetectionJob.lateLogins(Topics.LOGINS.defaultName());

  static final String DAY = "2026-11-23T";

  static Instant at(String time) {
    return Instant.parse(DAY + time + "Z");
  }

  static PaymentTransaction txn(String id, String card, String amount, String time) {
    return txn(id, card, amount, "DE", TransactionStatus.APPROVED, time);
  }

  static PaymentTransaction txn(String id, String card, String amount, Instant time) {
    return txn(id, card, amount, "DE", TransactionStatus.APPROVED, time);
  }

  static PaymentTransaction txn(
      String id,
      String card,
      String amount,
      String country,
      TransactionStatus status,
      String time) {
    return txn(id, card, amount, country, status, at(time));
  }

  static PaymentTransaction txn(
      String id,
      String card,
      String amount,
      String country,
      TransactionStatus status,
      Instant time) {
    return new PaymentTransaction(
        id,
        card,
        "acc-" + card,
        new BigDecimal(amount),
        "EUR",
        "m-1",
        "grocery",
        country,
        Channel.POS,
        status,
        time);
  }

  static LoginEvent login(String id, String user, boolean success, String time) {
    return new LoginEvent(id, user, success, "203.0.113.7", "NL", "dev-1", at(time));
  }

  /** A harness around the last operator {@code rule} builds on a stream of {@code type}. */
  static <IN> KeyedOneInputStreamOperatorTestHarness<String, IN, FraudAlert> harness(
      Class<IN> type, Function<DataStream<IN>, DataStream<FraudAlert>> rule) throws Exception {
    return Harnesses.lastOperatorOf(TypeInformation.of(type), rule);
  }

  static void feed(
      KeyedOneInputStreamOperatorTestHarness<String, PaymentTransaction, ?> h,
      PaymentTransaction... txns)
      throws Exception {
    for (PaymentTransaction t : txns) {
      h.processElement(t, t.eventTime().toEpochMilli());
    }
  }

  static void feedLogins(
      KeyedOneInputStreamOperatorTestHarness<String, LoginEvent, ?> h, LoginEvent... logins)
      throws Exception {
    for (LoginEvent l : logins) {
      h.processElement(l, l.eventTime().toEpochMilli());
    }
  }

  static void watermark(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h, String time)
      throws Exception {
    h.processWatermark(new Watermark(at(time).toEpochMilli()));
  }

  /** The end of a bounded run: the final watermark fires every window, timer and pattern. */
  static void endOfInput(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) throws Exception {
    h.processWatermark(Watermark.MAX_WATERMARK);
  }

  static List<FraudAlert> alerts(KeyedOneInputStreamOperatorTestHarness<?, ?, FraudAlert> h) {
    return h.extractOutputValues();
  }

  static List<List<String>> eventIds(KeyedOneInputStreamOperatorTestHarness<?, ?, FraudAlert> h) {
    return alerts(h).stream().map(FraudAlert::eventIds).toList();
  }

  static List<String> lateTxnIds(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) {
    var late = h.getSideOutput(LATE_TRANSACTIONS.tag());
    return late == null ? List.of() : late.stream().map(r -> r.getValue().txnId()).toList();
  }

  static List<String> lateLoginIds(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) {
    var late = h.getSideOutput(LATE_LOGINS.tag());
    return late == null ? List.of() : late.stream().map(r -> r.getValue().eventId()).toList();
  }
}
