package com.acme.shop.saga;

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
import com.acme.shop.model.OrderCommand;
import com.acme.shop.model.OrderEvent;
import com.acme.shop.model.PaymentLatency;
import com.acme.shop.model.SagaState;
import com.acme.shop.params.CommonParams;
import com.acme.shop.params.JobParameters;
import com.acme.shop.params.Param;
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
 * The order saga: {@code orders.events} drive one state machine per order ({@link OrderSaga}),
 * which writes every state change to {@code orders.saga} and its commands to {@code
 * orders.commands}; an interval join of placements with payments writes {@code
 * orders.payment-latency} ({@link PaymentLatencyJoin}).
 *
 * <p>The saga takes every event, however late: a payment authorized late still needs its refund.
 * Event time decides only whether an answer came within the timeout. The join is event time proper;
 * the placements and payments it finds late go to {@code late.order-saga}.
 */
public final class OrderSagaJob {
  public static final String JOB = "order-saga";

  static final List<Topic<?>> TOPICS =
      List.of(
          Topics.ORDER_EVENTS,
          Topics.SAGA,
          Topics.ORDER_COMMANDS,
          Topics.PAYMENT_LATENCY,
          RejectedTopics.deadLetters(JOB),
          RejectedTopics.late(JOB));

  static final Param<Duration> TIMEOUT =
      Param.duration(
          "saga-timeout",
          Duration.ofMinutes(15),
          "an order must be paid and reserved this long (event time) after its placement, or it"
              + " times out; also the interval of the payment-latency join");

  static final Param<Duration> UNKNOWN_ORDER_WAIT =
      Param.duration(
          "unknown-order-wait",
          Duration.ofMinutes(15),
          "how long (event time) an event for an order not yet placed waits for its OrderPlaced;"
              + " then it goes to dlq.order-saga");

  static final Param<Duration> RETENTION =
      Param.duration(
          "saga-retention",
          Duration.ofDays(1),
          "how long (event time) a finished saga is remembered: a success arriving within it"
              + " after a cancellation or time-out is compensated, a later one goes to the DLQ");

  static final Param<Boolean> WALL_CLOCK_WHEN_IDLE =
      Param.bool(
          "wall-clock-when-idle",
          true,
          "in an unbounded run, once the whole input has been idle for --idleness, let deadlines"
              + " follow the wall clock (a bounded run always goes by its data alone)");

  static final List<Param<?>> PARAMS =
      List.of(TIMEOUT, UNKNOWN_ORDER_WAIT, RETENTION, WALL_CLOCK_WHEN_IDLE);

  private OrderSagaJob() {}

  /** Where the job's results go. Tests and production pass different sinks to the same topology. */
  public record Outputs(
      Sink<SagaState> sagas,
      Sink<OrderCommand> commands,
      Sink<PaymentLatency> latencies,
      Sink<DeadLetter> deadLetters,
      Sink<RawRecord> late) {

    /** Sinks that drop everything: for benchmarks, and for inspecting the topology. */
    public static Outputs discarding() {
      return new Outputs(
          new DiscardingSink<>(),
          new DiscardingSink<>(),
          new DiscardingSink<>(),
          new DiscardingSink<>(),
          new DiscardingSink<>());
    }

    public static Outputs kafka(JobParameters params) {
      return new Outputs(
          KafkaSinks.json(params, Topics.SAGA),
          KafkaSinks.json(params, Topics.ORDER_COMMANDS),
          KafkaSinks.json(params, Topics.PAYMENT_LATENCY),
          KafkaSinks.deadLetters(params),
          KafkaSinks.late(params));
    }
  }

  public static void main(String[] args) throws Exception {
    JobEnvironment.run(
        parameters(args),
        (env, params) -> build(env, params, eventSource(params), Outputs.kafka(params)));
  }

  /**
   * The options, checked together; empty after {@code --help}.
   *
   * @throws IllegalArgumentException when an option is unknown, malformed or out of range
   */
  public static Optional<JobParameters> parameters(String... args) {
    Optional<JobParameters> params = JobParameters.parse(JOB, args, PARAMS, TOPICS);
    params.ifPresent(OrderSagaJob::settings);
    return params;
  }

  /** The saga's rules from the options; the idle clock only in unbounded runs. */
  static SagaSettings settings(JobParameters params) {
    return new SagaSettings(
        params.get(TIMEOUT),
        params.get(UNKNOWN_ORDER_WAIT),
        params.get(RETENTION),
        params.get(WALL_CLOCK_WHEN_IDLE) && !params.get(CommonParams.BOUNDED));
  }

  public static Source<Parsed<OrderEvent>, ?, ?> eventSource(JobParameters params) {
    return KafkaSources.parsed(params, Topics.ORDER_EVENTS, EventParser.json(OrderEvent.class));
  }

  /** The whole topology, from the source to every sink. */
  public static void build(
      StreamExecutionEnvironment env,
      JobParameters params,
      Source<Parsed<OrderEvent>, ?, ?> eventSource,
      Outputs outputs) {
    SagaSettings settings = settings(params);
    Inputs inputs = new Inputs(env, params);
    Input<OrderEvent> orders = inputs.readEveryRecord(Topics.ORDER_EVENTS, eventSource);
    // Deadlines and the join decide when the watermark passes; holding it back by the allowed
    // lateness lets an event the contract still accepts count before they do.
    DataStream<OrderEvent> events =
        DelayWatermarks.by(
            orders.events(), params.get(CommonParams.ALLOWED_LATENESS), "order-events-lateness");

    String sourceTopic = params.topic(Topics.ORDER_EVENTS);
    SingleOutputStreamOperator<SagaState> sagas =
        OrderSaga.run(events, settings, params.job(), sourceTopic);
    Output.write(sagas, outputs.sagas(), params, Topics.SAGA);
    Output.write(
        sagas.getSideOutput(OrderSaga.COMMANDS), outputs.commands(), params, Topics.ORDER_COMMANDS);

    LateEvents<OrderEvent> latePlacements = PaymentLatencyJoin.latePlacements(sourceTopic);
    LateEvents<OrderEvent> latePayments = PaymentLatencyJoin.latePayments(sourceTopic);
    SingleOutputStreamOperator<PaymentLatency> latencies =
        PaymentLatencyJoin.join(
            sagas.getSideOutput(OrderSaga.PLACEMENTS_AND_PAYMENTS),
            settings.timeout(),
            latePlacements,
            latePayments);
    Output.write(latencies, outputs.latencies(), params, Topics.PAYMENT_LATENCY);

    inputs.writeRejected(
        outputs.deadLetters(),
        outputs.late(),
        List.of(sagas.getSideOutput(OrderSaga.UNKNOWN_ORDERS)),
        latePlacements.from(latencies),
        latePayments.from(latencies));
  }
}
