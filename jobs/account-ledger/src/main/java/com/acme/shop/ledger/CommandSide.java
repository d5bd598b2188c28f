package com.acme.shop.ledger;

import com.acme.shop.flink.SeenIds;
import com.acme.shop.model.AccountBalance;
import com.acme.shop.model.AccountCommand;
import com.acme.shop.model.AccountEvent;
import com.acme.shop.model.CommandRejection;
import com.acme.shop.topics.Topics;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The command side: each account's commands, in the order they arrive (one Kafka partition per
 * account keeps it), decided against the account aggregate held in keyed state ({@link
 * Accounts#decide}). An accepted command appends its one event, with the account's next sequence
 * number, to the main output (the event store); a refused one emits a {@link CommandRejection} to
 * {@link #REJECTIONS} and changes nothing.
 *
 * <p>A command whose {@code commandId} the account has seen within the retention is a retry and is
 * dropped, counted in {@code duplicateCommands}: it was applied, or refused, once. The ids are kept
 * by {@link SeenIds} for {@code retention} of event time after the first one, then forgotten by
 * event-time timers, so a retry after that is a new command. A bounded run's final watermark fires
 * every timer, which leaves no id behind.
 *
 * <p>Nothing here is windowed, so a command the router let through is decided even when it is
 * behind this operator's watermark (which happens behind an idle source subtask): being late by the
 * watermark of other partitions says nothing about an account's own order. Only the expiry of its
 * id depends on event time.
 *
 * <p>The aggregate itself (owner, balance, status, version) is kept for as long as the account
 * exists, with no TTL and no timer: it is the system of record that the next sequence number and
 * every later decision depend on. Dropping it would reopen a closed account or restart an account's
 * sequence at 1, duplicating sequence numbers in the event store. It is one small value per
 * account, whatever the traffic.
 */
final class CommandSide {
  private CommandSide() {}

  /** Where refused commands go. */
  static final OutputTag<CommandRejection> REJECTIONS =
      new OutputTag<>("command-rejections", Topics.COMMAND_REJECTIONS.type());

  static final String UID = "account-aggregate";

  static SingleOutputStreamOperator<AccountEvent> handle(
      DataStream<AccountCommand> commands, Duration idempotencyRetention) {
    return commands
        .keyBy(AccountCommand::accountId)
        .process(new HandleCommands(idempotencyRetention), Topics.ACCOUNT_EVENTS.type())
        .uid(UID)
        .name("account aggregate: decide commands, append events");
  }

  static final class HandleCommands
      extends KeyedProcessFunction<String, AccountCommand, AccountEvent> {
    static final ValueStateDescriptor<AccountBalance> ACCOUNT =
        new ValueStateDescriptor<>("account", TypeInformation.of(AccountBalance.class));
    static final String SEEN_COMMAND_IDS = "seen-command-ids";

    private final Duration idempotencyRetention;
    private transient ValueState<AccountBalance> account;
    private transient SeenIds seenCommands;
    private transient Counter accepted;
    private transient Counter rejected;
    private transient Counter duplicates;

    HandleCommands(Duration idempotencyRetention) {
      this.idempotencyRetention = idempotencyRetention;
    }

    @Override
    public void open(OpenContext openContext) {
      account = getRuntimeContext().getState(ACCOUNT);
      seenCommands = new SeenIds(getRuntimeContext(), SEEN_COMMAND_IDS, idempotencyRetention);
      accepted = getRuntimeContext().getMetricGroup().counter("commandsAccepted");
      rejected = getRuntimeContext().getMetricGroup().counter("commandsRejected");
      duplicates = getRuntimeContext().getMetricGroup().counter("duplicateCommands");
    }

    @Override
    public void processElement(AccountCommand command, Context ctx, Collector<AccountEvent> out)
        throws Exception {
      // The command's own time, not the record's timestamp: the retention is measured from it.
      long time = command.eventTime().toEpochMilli();
      if (!seenCommands.firstTime(command.commandId(), time, ctx.timerService())) {
        duplicates.inc();
        return;
      }
      AccountBalance current = account.value();
      Accounts.Decision decision = Accounts.decide(current, command);
      if (decision.accepted()) {
        account.update(Accounts.apply(current, decision.event()));
        accepted.inc();
        out.collect(decision.event());
      } else {
        rejected.inc();
        ctx.output(
            REJECTIONS,
            new CommandRejection(
                command.commandId(),
                command.accountId(),
                decision.rejection(),
                command.eventTime()));
      }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AccountEvent> out)
        throws Exception {
      seenCommands.forgetUntil(timestamp);
    }
  }
}
