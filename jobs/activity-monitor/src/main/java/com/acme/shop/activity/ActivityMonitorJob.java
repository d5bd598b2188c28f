package com.acme.shop.activity;

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
import com.acme.shop.model.BotAlert;
import com.acme.shop.model.CartAbandonment;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.EventRate;
import com.acme.shop.model.PageViewCount;
import com.acme.shop.model.SessionSummary;
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
 * Watches the shop's web clickstream: page views per page and minute, event rates per type,
 * sessions per user, abandoned carts and bot alerts, with bad records to the job's dead-letter
 * topic and late ones to its late topic.
 */
public final class ActivityMonitorJob {
  public static final String JOB = "activity-monitor";

  static final List<Topic<?>> TOPICS =
      List.of(
          Topics.CLICKSTREAM,
          Topics.PAGE_VIEWS,
          Topics.EVENT_RATES,
          Topics.SESSIONS,
          Topics.CART_ABANDONMENT,
          Topics.BOT_ALERTS,
          RejectedTopics.deadLetters(JOB),
          RejectedTopics.late(JOB));

  private ActivityMonitorJob() {}

  /** Where the job's results go. Tests and production pass different sinks to the same topology. */
  public record Outputs(
      Sink<PageViewCount> pageViews,
      Sink<EventRate> eventRates,
      Sink<SessionSummary> sessions,
      Sink<CartAbandonment> cartAbandonments,
      Sink<BotAlert> botAlerts,
      Sink<DeadLetter> deadLetters,
      Sink<RawRecord> late) {

    /** Sinks that drop everything: for benchmarks, and for inspecting the topology. */
    public static Outputs discarding() {
      return new Outputs(
          new DiscardingSink<>(),
          new DiscardingSink<>(),
          new DiscardingSink<>(),
          new DiscardingSink<>(),
          new DiscardingSink<>(),
          new DiscardingSink<>(),
          new DiscardingSink<>());
    }

    public static Outputs kafka(JobParameters params) {
      return new Outputs(
          KafkaSinks.json(params, Topics.PAGE_VIEWS),
          KafkaSinks.json(params, Topics.EVENT_RATES),
          KafkaSinks.json(params, Topics.SESSIONS),
          KafkaSinks.json(params, Topics.CART_ABANDONMENT),
          KafkaSinks.json(params, Topics.BOT_ALERTS),
          KafkaSinks.deadLetters(params),
          KafkaSinks.late(params));
    }
  }

  public static void main(String[] args) throws Exception {
    JobEnvironment.run(
        parameters(args),
        (env, params) -> build(env, params, clickSource(params), Outputs.kafka(params)));
  }

  public static Optional<JobParameters> parameters(String... args) {
    return JobParameters.parse(JOB, args, List.of(), TOPICS);
  }

  public static Source<Parsed<ClickEvent>, ?, ?> clickSource(JobParameters params) {
    return KafkaSources.parsed(params, Topics.CLICKSTREAM, EventParser.json(ClickEvent.class));
  }

  /**
   * Clicks that a window or timer found late, for the late topic: as their JSON, keyed by user like
   * the clickstream they were read from.
   */
  static LateEvents<ClickEvent> lateClicks(String clickTopic) {
    return LateEvents.of("late-clicks", Topics.CLICKSTREAM.type(), clickTopic, ClickEvent::userId);
  }

  /** The whole topology, from the clickstream source to every output sink. */
  public static void build(
      StreamExecutionEnvironment env,
      JobParameters params,
      Source<Parsed<ClickEvent>, ?, ?> clickSource,
      Outputs outputs) {
    Inputs inputs = new Inputs(env, params);
    Input<ClickEvent> clicks = inputs.read(Topics.CLICKSTREAM, clickSource);

    // Every output sees the same on-time events: late ones were routed away once, at the source.
    // Behind an idle source subtask a window or timer can still find a click late; it sends it to
    // lateClicks rather than dropping it.
    DataStream<ClickEvent> events = clicks.events();
    Duration allowedLateness = params.get(CommonParams.ALLOWED_LATENESS);
    LateEvents<ClickEvent> lateClicks = lateClicks(params.topic(Topics.CLICKSTREAM));

    PageViews.Counted pageViews = PageViews.count(events, allowedLateness, lateClicks);
    SingleOutputStreamOperator<EventRate> eventRates =
        EventRates.count(events, allowedLateness, lateClicks);
    SingleOutputStreamOperator<SessionSummary> sessions =
        Sessions.summarise(events, allowedLateness, lateClicks);
    SingleOutputStreamOperator<CartAbandonment> cartAbandonments =
        CartAbandonments.detect(events, allowedLateness, lateClicks);
    SingleOutputStreamOperator<BotAlert> botAlerts =
        BotAlerts.detect(events, allowedLateness, lateClicks);

    Output.write(pageViews.counts(), outputs.pageViews(), params, Topics.PAGE_VIEWS);
    Output.write(eventRates, outputs.eventRates(), params, Topics.EVENT_RATES);
    Output.write(sessions, outputs.sessions(), params, Topics.SESSIONS);
    Output.write(cartAbandonments, outputs.cartAbandonments(), params, Topics.CART_ABANDONMENT);
    Output.write(botAlerts, outputs.botAlerts(), params, Topics.BOT_ALERTS);
    inputs.writeRejected(
        outputs.deadLetters(),
        outputs.late(),
        pageViews.late(),
        lateClicks.from(eventRates),
        lateClicks.from(sessions),
        lateClicks.from(cartAbandonments),
        lateClicks.from(botAlerts));
  }
}
