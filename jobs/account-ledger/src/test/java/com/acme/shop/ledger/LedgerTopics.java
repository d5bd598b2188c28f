package com.acme.shop.ledger;

import com.acme.shop.testing.TopicIO;
import java.util.List;

/** Fresh topics for one run of the job, and the options that point the job at them. */
record LedgerTopics(
    String commands, String events, String rejections, String balances, String dlq, String late) {

  static LedgerTopics unique() {
    return new LedgerTopics(
        TopicIO.unique("account-commands"),
        TopicIO.unique("account-events"),
        TopicIO.unique("command-rejections"),
        TopicIO.unique("balances"),
        TopicIO.unique("dlq"),
        TopicIO.unique("late"));
  }

  /** Creates every topic: the keyed ones with {@code partitions}, dlq and late with one. */
  LedgerTopics create(TopicIO io, int partitions) {
    io.create(partitions, commands, events, rejections, balances);
    io.create(1, dlq, late);
    return this;
  }

  /** The same topics with another, fresh balances topic: for a replay next to a live run. */
  LedgerTopics withFreshBalances(TopicIO io, int partitions) {
    LedgerTopics fresh =
        new LedgerTopics(
            commands, events, rejections, TopicIO.unique("balances-replay"), dlq, late);
    io.create(partitions, fresh.balances);
    return fresh;
  }

  List<String> options() {
    return List.of(
        "--topic.account-commands", commands,
        "--topic.account-events", events,
        "--topic.command-rejections", rejections,
        "--topic.balances", balances,
        "--topic.dlq", dlq,
        "--topic.late", late);
  }
}
