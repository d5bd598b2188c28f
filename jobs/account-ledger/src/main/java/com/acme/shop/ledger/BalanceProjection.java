package com.acme.shop.ledger;

import com.acme.shop.json.Json;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.kafka.RawRecord;
import com.acme.shop.model.AccountBalance;
import com.acme.shop.model.AccountEvent;
import com.acme.shop.model.InvalidEventException;
import com.acme.shop.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * {@code bank.balances}: the balance of each account, folded from the event store alone with {@link
 * Accounts#apply}, one upsert per applied event (the latest record of an account is its balance).
 *
 * <p>Each account's events must come as 1, 2, 3, ...: the projection keeps the last version it
 * applied and applies only the next one. A duplicate (a sequence already applied), a gap (a
 * sequence beyond the next) or an event that cannot follow the account (a withdrawal below zero,
 * anything after the close) is not applied and goes to {@link #PROBLEMS} as a dead letter saying
 * what is wrong. After a gap the account stays at its last consistent version: every later event is
 * reported too, until the missing one arrives, rather than guessed over.
 *
 * <p>With {@code replayUntil} (time travel) an account's events are applied in sequence order up to
 * the first whose event time is after the instant; that one and all after it are skipped, counted
 * in {@code eventsAfterReplayInstant}. Commands are applied in the order they arrive, which within
 * the out-of-orderness bound need not be the order of their times: an event after a later one had
 * not happened yet when the later one did, so the balance at an instant is always one the account
 * really had, never one folded from a set with a hole in it.
 *
 * <p>Its state per account is the {@link AccountBalance} last written, kept without TTL or timer:
 * the next event's sequence check and balance depend on it, for as long as the account exists.
 */
final class BalanceProjection {
  private BalanceProjection() {}

  /** Events the projection refused, as dead letters of the event store. */
  static final OutputTag<DeadLetter> PROBLEMS =
      new OutputTag<>("event-store-problems", TypeInformation.of(DeadLetter.class));

  static final String UID = "balance-projection";

  /**
   * @param eventStoreTopic the topic the events were read from, named in the dead letters
   * @param replayUntil the instant of a time-travel replay, or null to apply every event
   */
  static SingleOutputStreamOperator<AccountBalance> project(
      DataStream<AccountEvent> events, String job, String eventStoreTopic, Instant replayUntil) {
    return events
        .keyBy(AccountEvent::accountId)
        .process(
            new ProjectBalances(job, eventStoreTopic, replayUntil, Clock.systemUTC()),
            Topics.BALANCES.type())
        .uid(UID)
        .name(
            replayUntil == null
                ? "balances from the event store"
                : "balances from the event store as of " + replayUntil);
  }

  static final class ProjectBalances
      extends KeyedProcessFunction<String, AccountEvent, AccountBalance> {
    static final ValueStateDescriptor<AccountBalance> BALANCE =
        new ValueStateDescriptor<>("balance", TypeInformation.of(AccountBalance.class));

    /** Set once an account met its first event after the replay instant. */
    static final ValueStateDescriptor<Boolean> PAST_REPLAY_INSTANT =
        new ValueStateDescriptor<>("past-replay-instant", Types.BOOLEAN);

    private final String job;
    private final String eventStoreTopic;
    private final Instant replayUntil;
    private final Clock clock;
    private transient ValueState<AccountBalance> balance;
    private transient ValueState<Boolean> pastReplayInstant;
    private transient Counter gaps;
    private transient Counter duplicates;
    private transient Counter unappliable;
    private transient Counter afterReplayInstant;

    ProjectBalances(String job, String eventStoreTopic, Instant replayUntil, Clock clock) {
      this.job = job;
      this.eventStoreTopic = eventStoreTopic;
      this.replayUntil = replayUntil;
      this.clock = clock;
    }

    @Override
    public void open(OpenContext openContext) {
      balance = getRuntimeContext().getState(BALANCE);
      pastReplayInstant = getRuntimeContext().getState(PAST_REPLAY_INSTANT);
      gaps = getRuntimeContext().getMetricGroup().counter("sequenceGaps");
      duplicates = getRuntimeContext().getMetricGroup().counter("duplicateSequences");
      unappliable = getRuntimeContext().getMetricGroup().counter("unappliableEvents");
      afterReplayInstant = getRuntimeContext().getMetricGroup().counter("eventsAfterReplayInstant");
    }

    @Override
    public void processElement(AccountEvent event, Context ctx, Collector<AccountBalance> out)
        throws Exception {
      if (replayUntil != null && pastReplayInstant.value() != null) {
        afterReplayInstant.inc(); // the account's balance at the instant is final
        return;
      }
      AccountBalance current = balance.value();
      long version = current == null ? 0 : current.version();
      if (event.sequence() <= version) {
        duplicates.inc();
        report(
            ctx,
            event,
            "duplicate sequence "
                + event.sequence()
                + " of account "
                + event.accountId()
                + ": version "
                + version
                + " is applied already; not applied again");
        return;
      }
      if (event.sequence() > version + 1) {
        gaps.inc();
        report(
            ctx,
            event,
            "sequence gap in account "
                + event.accountId()
                + ": expected sequence "
                + (version + 1)
                + ", got "
                + event.sequence()
                + "; not applied");
        return;
      }
      if (replayUntil != null && event.eventTime().isAfter(replayUntil)) {
        pastReplayInstant.update(true);
        afterReplayInstant.inc();
        return;
      }
      AccountBalance next;
      try {
        next = Accounts.apply(current, event);
      } catch (InvalidEventException e) {
        unappliable.inc();
        report(
            ctx,
            event,
            "event "
                + event.sequence()
                + " cannot be applied to account "
                + event.accountId()
                + ": "
                + e.getMessage()
                + "; not applied");
        return;
      }
      balance.update(next);
      out.collect(next);
    }

    /** The event as the store holds it (its contract JSON, keyed by account), with the reason. */
    private void report(Context ctx, AccountEvent event, String reason) {
      RawRecord record =
          new RawRecord(
              eventStoreTopic,
              -1,
              -1,
              event.accountId().getBytes(StandardCharsets.UTF_8),
              Json.bytes(event));
      ctx.output(PROBLEMS, DeadLetter.of(record, job, reason, clock.instant()));
    }
  }
}
