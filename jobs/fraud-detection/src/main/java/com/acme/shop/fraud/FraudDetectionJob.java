package com.acme.shop.fraud;

import com.acme.shop.flink.DelayWatermarks;
import com.acme.shop.flink.Input;
import com.acme.shop.flink.Inputs;
import com.acme.shop.flink.JobEnvironment;
import com.acme.shop.flink.LateEvents;
import com.acme.shop.flink.Output;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.kafka.EventParser;
import com.acme.shop.kafka.KafkaSinks;
import com.acme.shop.kafka.KafkaSources;
import com.acme.shop.kafka.Parsed;
import com.acme.shop.kafka.RawRecord;
import com.acme.shop.kafka.RejectedTopics;
import com.acme.shop.model.FraudAlert;
import com.acme.shop.model.LoginEvent;
import com.acme.shop.model.PaymentTransaction;
import com.acme.shop.params.CommonParams;
import com.acme.shop.params.JobParameters;
import com.acme.shop.topics.Topic;
import com.acme.shop.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Four fraud rules over card payments and logins, all in event time: card testing and account
 * takeover as CEP patterns, velocity as a sliding window, impossible travel on keyed state. Every
 * detection is one record of {@code fraud.alerts}; bad records of either input go to the job's
 * dead-letter topic and late ones to its late topic.
 */
public final class FraudDetectionJob {
  public static final String JOB = "fraud-detection";

  static final List<Topic<?>> TOPICS =
      List.of(
          Topics.TRANSACTIONS,
          Topics.LOGINS,
          Topics.FRAUD_ALERTS,
          RejectedTopics.deadLetters(JOB),
          RejectedTopics.late(JOB));

  private FraudDetectionJob() {}

  /** Where the job's results go. Tests and production pass different sinks to the same topology. */
  public record Outputs(
      Sink<FraudAlert> alerts, Sink<DeadLetter> deadLetters, Sink<RawRecord> late) {

    /** Sinks that drop everything: for benchmarks, and for inspecting the topology. */
    public static Outputs discarding() {
      return new Outputs(new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>());
    }

    public static Outputs kafka(JobParameters params) {
      return new Outputs(
          KafkaSinks.json(params, Topics.FRAUD_ALERTS),
          KafkaSinks.deadLetters(params),
          KafkaSinks.late(params));
    }
  }

  public static void main(String[] args) throws Exception {
    JobEnvironment.run(
        parameters(args),
        (env, params) ->
            build(
                env,
                params,
                transactionSource(params),
                loginSource(params),
                Outputs.kafka(params)));
  }

  /**
   * The options, the rules' thresholds checked together; empty after {@code --help}.
   *
   * @throws IllegalArgumentException when an option is unknown, malformed or out of range
   */
  public static Optional<JobParameters> parameters(String... args) {
    Optional<JobParameters> params = JobParameters.parse(JOB, args, FraudParams.ALL, TOPICS);
    params.ifPresent(RuleSettings::from);
    return params;
  }

  public static Source<Parsed<PaymentTransaction>, ?, ?> transactionSource(JobParameters params) {
    return KafkaSources.parsed(
        params, Topics.TRANSACTIONS, EventParser.json(PaymentTransaction.class));
  }

  public static Source<Parsed<LoginEvent>, ?, ?> loginSource(JobParameters params) {
    return KafkaSources.parsed(params, Topics.LOGINS, EventParser.json(LoginEvent.class));
  }

  /** Transactions that a rule found late, for the late topic, keyed by card as read. */
  static LateEvents<PaymentTransaction> lateTransactions(String topic) {
    return LateEvents.of(
        "late-transactions", Topics.TRANSACTIONS.type(), topic, PaymentTransaction::cardId);
  }

  /** Logins that the takeover pattern found late, for the late topic, keyed by user as read. */
  static LateEvents<LoginEvent> lateLogins(String topic) {
    return LateEvents.of("late-logins", Topics.LOGINS.type(), topic, LoginEvent::userId);
  }

  /** The whole topology, from both sources to every sink. */
  public static void build(
      StreamExecutionEnvironment env,
      JobParameters params,
      Source<Parsed<PaymentTransaction>, ?, ?> transactionSource,
      Source<Parsed<LoginEvent>, ?, ?> loginSource,
      Outputs outputs) {
    RuleSettings settings = RuleSettings.from(params);
    Inputs inputs = new Inputs(env, params);
    Input<PaymentTransaction> payments = inputs.read(Topics.TRANSACTIONS, transactionSource);
    Input<LoginEvent> logins = inputs.read(Topics.LOGINS, loginSource);

    // CEP and the keyed functions decide once, when the watermark passes; holding it back by the
    // allowed lateness lets them take the events the router accepted behind the watermark.
    Duration allowedLateness = params.get(CommonParams.ALLOWED_LATENESS);
    DataStream<PaymentTransaction> transactions =
        DelayWatermarks.by(payments.events(), allowedLateness, "transactions-lateness");
    DataStream<LoginEvent> loginEvents =
        DelayWatermarks.by(logins.events(), allowedLateness, "logins-lateness");

    LateEvents<PaymentTransaction> lateTransactions =
        lateTransactions(params.topic(Topics.TRANSACTIONS));
    LateEvents<LoginEvent> lateLogins = lateLogins(params.topic(Topics.LOGINS));

    SingleOutputStreamOperator<FraudAlert> cardTesting =
        CardTesting.detect(transactions, settings, lateTransactions);
    SingleOutputStreamOperator<FraudAlert> velocity =
        Velocity.detect(transactions, settings, lateTransactions);
    SingleOutputStreamOperator<FraudAlert> travel =
        ImpossibleTravel.detect(transactions, settings, lateTransactions);
    SingleOutputStreamOperator<FraudAlert> takeover =
        AccountTakeover.detect(loginEvents, settings, lateLogins);

    Output.write(
        cardTesting.union(velocity, travel, takeover),
        outputs.alerts(),
        params,
        Topics.FRAUD_ALERTS);
    inputs.writeRejected(
        outputs.deadLetters(),
        outputs.late(),
        lateTransactions.from(cardTesting),
        lateTransactions.from(velocity),
        lateTransactions.from(travel),
        lateLogins.from(takeover));
  }
}
