package com.acme.shop.activity;

import com.acme.shop.flink.Input;
import com.acme.shop.flink.JobEnvironment;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.kafka.EventParser;
import com.acme.shop.kafka.KafkaSinks;
import com.acme.shop.kafka.KafkaSources;
import com.acme.shop.kafka.Parsed;
import com.acme.shop.kafka.RawRecord;
import com.acme.shop.kafka.TopicName;
import com.acme.shop.kafka.Topics;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.PageViewCount;
import com.acme.shop.params.CommonParams;
import com.acme.shop.params.JobParameters;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Watches the shop's web clickstream: page views per page and minute, with bad records to the job's
 * dead-letter topic and late ones to its late topic.
 */
public final class ActivityMonitorJob {
  public static final String JOB = "activity-monitor";

  static final TopicName DEAD_LETTERS = Topics.deadLetters(JOB);
  static final TopicName LATE = Topics.late(JOB);
  static final List<TopicName> TOPICS =
      List.of(Topics.CLICKSTREAM, Topics.PAGE_VIEWS, DEAD_LETTERS, LATE);

  private ActivityMonitorJob() {}

  /** Where the job's results go. Tests and production pass different sinks to the same topology. */
  public record Outputs(
      Sink<PageViewCount> pageViews, Sink<DeadLetter> deadLetters, Sink<RawRecord> late) {

    public static Outputs kafka(JobParameters params) {
      return new Outputs(
          KafkaSinks.json(params, Topics.PAGE_VIEWS, PageViewCount::page),
          KafkaSinks.deadLetters(params),
          KafkaSinks.late(params));
    }
  }

  public static void main(String[] args) throws Exception {
    Optional<JobParameters> parsed = parameters(args);
    if (parsed.isEmpty()) {
      return;
    }
    JobParameters params = parsed.get();
    StreamExecutionEnvironment env = JobEnvironment.create(params);
    build(env, params, clickSource(params), Outputs.kafka(params));
    env.execute(params.runName());
  }

  public static Optional<JobParameters> parameters(String... args) {
    return JobParameters.parse(JOB, args, List.of(), TOPICS);
  }

  public static Source<Parsed<ClickEvent>, ?, ?> clickSource(JobParameters params) {
    return KafkaSources.parsed(
        params,
        Topics.CLICKSTREAM,
        EventParser.json(ClickEvent.class),
        TypeInformation.of(ClickEvent.class));
  }

  /** The whole topology, from the clickstream source to every output sink. */
  public static void build(
      StreamExecutionEnvironment env,
      JobParameters params,
      Source<Parsed<ClickEvent>, ?, ?> clickSource,
      Outputs outputs) {
    Input<ClickEvent> clicks =
        Input.read(env, clickSource, TypeInformation.of(ClickEvent.class), params, "clickstream");

    DataStream<PageViewCount> pageViews =
        PageViews.count(clicks.events(), params.get(CommonParams.ALLOWED_LATENESS));

    pageViews
        .sinkTo(outputs.pageViews())
        .uid("page-views-sink")
        .name(sinkName(params, Topics.PAGE_VIEWS));
    clicks
        .deadLetters()
        .sinkTo(outputs.deadLetters())
        .uid("dead-letters-sink")
        .name(sinkName(params, DEAD_LETTERS));
    clicks.late().sinkTo(outputs.late()).uid("late-sink").name(sinkName(params, LATE));
  }

  private static String sinkName(JobParameters params, TopicName topic) {
    return "to " + params.topic(topic);
  }
}
