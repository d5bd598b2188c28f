package com.acme.shop.activity;

import com.acme.shop.testing.TopicIO;
import java.util.List;

/** Fresh topics for one run of the job, and the options that point the job at them. */
record RunTopics(
    String clicks,
    String pageViews,
    String eventRates,
    String sessions,
    String carts,
    String alerts,
    String dlq,
    String late) {

  static RunTopics unique() {
    return new RunTopics(
        TopicIO.unique("clicks"),
        TopicIO.unique("page-views"),
        TopicIO.unique("event-rates"),
        TopicIO.unique("sessions"),
        TopicIO.unique("cart-abandonment"),
        TopicIO.unique("alerts"),
        TopicIO.unique("dlq"),
        TopicIO.unique("late"));
  }

  /** Creates the input with {@code inputPartitions}, the outputs with {@code outputPartitions}. */
  RunTopics create(TopicIO io, int inputPartitions, int outputPartitions) {
    io.create(inputPartitions, clicks);
    return createOutputs(io, outputPartitions);
  }

  /** Creates only the outputs, for a run reading an input that exists. */
  RunTopics createOutputs(TopicIO io, int outputPartitions) {
    io.create(outputPartitions, pageViews, eventRates, sessions, carts, alerts);
    io.create(1, dlq, late);
    return this;
  }

  /** These outputs, reading {@code input} instead: a rebuild of another run's read models. */
  RunTopics readingFrom(String input) {
    return new RunTopics(input, pageViews, eventRates, sessions, carts, alerts, dlq, late);
  }

  List<String> options() {
    return List.of(
        "--topic.clickstream", clicks,
        "--topic.page-views", pageViews,
        "--topic.event-rates", eventRates,
        "--topic.sessions", sessions,
        "--topic.cart-abandonment", carts,
        "--topic.alerts", alerts,
        "--topic.dlq", dlq,
        "--topic.late", late);
  }
}
