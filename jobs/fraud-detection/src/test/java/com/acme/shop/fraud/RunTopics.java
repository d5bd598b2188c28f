package com.acme.shop.fraud;

import com.acme.shop.testing.TopicIO;
import java.util.List;

/** Fresh topics for one run of the job, and the options that point the job at them. */
record RunTopics(String transactions, String logins, String alerts, String dlq, String late) {

  static RunTopics unique() {
    return new RunTopics(
        TopicIO.unique("transactions"),
        TopicIO.unique("logins"),
        TopicIO.unique("fraud-alerts"),
        TopicIO.unique("dlq"),
        TopicIO.unique("late"));
  }

  /** Creates the inputs with {@code inputPartitions}, the outputs with {@code outputPartitions}. */
  RunTopics create(TopicIO io, int inputPartitions, int outputPartitions) {
    io.create(inputPartitions, transactions, logins);
    return createOutputs(io, outputPartitions);
  }

  /** Creates only the outputs, for a run reading inputs that exist. */
  RunTopics createOutputs(TopicIO io, int outputPartitions) {
    io.create(outputPartitions, alerts);
    io.create(1, dlq, late);
    return this;
  }

  /** Fresh outputs for the same inputs: a replay. */
  RunTopics replay() {
    RunTopics fresh = unique();
    return new RunTopics(transactions, logins, fresh.alerts, fresh.dlq, fresh.late);
  }

  List<String> options() {
    return List.of(
        "--topic.transactions", transactions,
        "--topic.logins", logins,
        "--topic.alerts", alerts,
        "--topic.dlq", dlq,
        "--topic.late", late);
  }
}
