package com.acme.shop.ledger;

import com.acme.shop.flink.Input;
import com.acme.shop.flink.Inputs;
import com.acme.shop.flink.JobEnvironment;
import com.acme.shop.flink.Output;
import com.acme.shop.flink.Upsert;
import com.acme.shop.jdbc.ReadModelDatabase;
import com.acme.shop.jdbc.ReadModelSinks;
import com.acme.shop.jdbc.ReadModelTables;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.kafka.EventParser;
import com.acme.shop.kafka.KafkaSinks;
import com.acme.shop.kafka.KafkaSources;
import com.acme.shop.kafka.Parsed;
import com.acme.shop.kafka.RawRecord;
import com.acme.shop.kafka.RejectedTopics;
import com.acme.shop.model.AccountBalance;
import com.acme.shop.model.AccountCommand;
import com.acme.shop.model.AccountEvent;
import com.acme.shop.model.CommandRejection;
import com.acme.shop.params.CommonParams;
import com.acme.shop.params.JobParameters;
import com.acme.shop.params.Param;
import com.acme.shop.params.StartingOffsets;
import com.acme.shop.topics.Topic;
import com.acme.shop.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The bank ledger, event-sourced. Two pipelines in one job:
 *
 * <ul>
 *   <li>the command side: {@code bank.account-commands} decided against each account's aggregate
 *       ({@link CommandSide}), accepted ones appended as events to {@code bank.account-events}, the
 *       event store, refused ones written to {@code bank.command-rejections};
 *   <li>the projection: {@code bank.balances}, folded from the event store read back from Kafka
 *       ({@link BalanceProjection}), never from commands, so it can be rebuilt at any time.
 * </ul>
 *
 * With {@code --replay} or {@code --replay-until <instant>} the job runs the projection alone, over
 * the event store from its beginning, into a fresh {@code --topic.balances}: a rebuild, or the
 * balances as they stood at the instant (time travel). It then processes no command and writes
 * nothing but balances.
 */
public final class AccountLedgerJob {
  public static final String JOB = "account-ledger";

  static final List<Topic<?>> TOPICS =
      List.of(
          Topics.ACCOUNT_COMMANDS,
          Topics.ACCOUNT_EVENTS,
          Topics.COMMAND_REJECTIONS,
          Topics.BALANCES,
          RejectedTopics.deadLetters(JOB),
          RejectedTopics.late(JOB));

  static final Param<Duration> IDEMPOTENCY_RETENTION =
      Param.duration(
          "idempotency-retention",
          Duration.ofDays(7),
          "how long (event time) each account remembers the commandIds it handled; a retry"
              + " within it is applied once, a retry after it is a new command");

  static final Param<Instant> REPLAY_UNTIL =
      Param.instant(
          "replay-until",
          null,
          "time travel: rebuild the balances as they stood at this instant from the event store"
              + " alone (events with eventTime <= it), into a fresh --topic.balances; no command"
              + " is processed. Use with --bounded");

  static final Param<Boolean> REPLAY =
      Param.bool(
          "replay",
          false,
          "rebuild the balances from the whole event store alone into a fresh --topic.balances;"
              + " no command is processed. Use with --bounded");

  static final Param<String> BALANCES_TABLE =
      Param.of(
          "read-model-balances-table",
          "balances",
          ReadModelDatabase::checkedTableName,
          "with --read-model-jdbc-url: the table of schema read_models the balances go to; a"
              + " replay (time travel) needs a table of its own, created like read_models.balances");

  static final List<Param<?>> PARAMS =
      Stream.concat(
              Stream.of(IDEMPOTENCY_RETENTION, REPLAY, REPLAY_UNTIL, BALANCES_TABLE),
              ReadModelDatabase.PARAMS.stream())
          .toList();

  /** The balances as upserts of their table, keyed by account. */
  static final TypeInformation<Upsert<AccountBalance>> BALANCE_UPSERT =
      TypeInformation.of(new TypeHint<Upsert<AccountBalance>>() {});

  /** The event store is always read from its beginning: a fresh projection must see event 1. */
  static final StartingOffsets EVENT_STORE_START = StartingOffsets.parse("earliest");

  private AccountLedgerJob() {}

  /** Where the job reads from. Tests and production pass different sources to the same topology. */
  public record Sources(
      Source<Parsed<AccountCommand>, ?, ?> commands, Source<Parsed<AccountEvent>, ?, ?> events) {

    public static Sources kafka(JobParameters params) {
      return new Sources(
          KafkaSources.parsed(
              params, Topics.ACCOUNT_COMMANDS, EventParser.json(AccountCommand.class)),
          KafkaSources.parsed(
              params,
              Topics.ACCOUNT_EVENTS,
              EventParser.json(AccountEvent.class),
              EVENT_STORE_START));
    }
  }

  /** Where the job's results go. */
  public record Outputs(
      Sink<AccountEvent> events,
      Sink<CommandRejection> rejections,
      Sink<AccountBalance> balances,
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
          KafkaSinks.json(params, Topics.ACCOUNT_EVENTS),
          KafkaSinks.json(params, Topics.COMMAND_REJECTIONS),
          KafkaSinks.json(params, Topics.BALANCES),
          KafkaSinks.deadLetters(params),
          KafkaSinks.late(params));
    }
  }

  public static void main(String[] args) throws Exception {
    JobEnvironment.run(
        parameters(args),
        (env, params) -> build(env, params, Sources.kafka(params), Outputs.kafka(params)));
  }

  /**
   * Parses the options; see {@link JobParameters#parse}.
   *
   * @throws IllegalArgumentException also when a replay would write into the live read model or
   *     would not read the event store from its beginning
   */
  public static Optional<JobParameters> parameters(String... args) {
    Optional<JobParameters> parsed = JobParameters.parse(JOB, args, PARAMS, TOPICS);
    parsed.ifPresent(AccountLedgerJob::checkTogether);
    return parsed;
  }

  private static void checkTogether(JobParameters params) {
    Duration retention = params.get(IDEMPOTENCY_RETENTION);
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("--idempotency-retention must be positive");
    }
    if (!isReplay(params)) {
      return;
    }
    if (ReadModelDatabase.enabled(params)
        && params.get(BALANCES_TABLE).equals(ReadModelTables.BALANCES.name())) {
      throw new IllegalArgumentException(
          "a replay writes the balances it rebuilds into a table of its own: give"
              + " --read-model-balances-table <table>, not the live read model "
              + ReadModelTables.BALANCES.name());
    }
    if (params.topic(Topics.BALANCES).equals(Topics.BALANCES.defaultName())) {
      throw new IllegalArgumentException(
          "a replay writes the balances it rebuilds into a fresh topic: give --topic.balances"
              + " <topic>, not the live read model "
              + Topics.BALANCES.defaultName());
    }
    if (params.isSet(CommonParams.STARTING_OFFSETS)
        && params.get(CommonParams.STARTING_OFFSETS).kind() != StartingOffsets.Kind.EARLIEST) {
      throw new IllegalArgumentException(
          "a replay reads the event store from its beginning: --starting-offsets earliest, not "
              + params.get(CommonParams.STARTING_OFFSETS));
    }
  }

  static boolean isReplay(JobParameters params) {
    return params.get(REPLAY) || params.get(REPLAY_UNTIL) != null;
  }

  /** The whole topology, from the sources to every output sink. */
  public static void build(
      StreamExecutionEnvironment env, JobParameters params, Sources sources, Outputs outputs) {
    Inputs inputs = new Inputs(env, params);
    if (isReplay(params)) {
      // Only the event store and the balances: records the live run already reported as dead
      // letters are not reported again, only counted (deadLetters, sequenceGaps, ... metrics).
      Input<AccountEvent> events = inputs.readEveryRecord(Topics.ACCOUNT_EVENTS, sources.events());
      SingleOutputStreamOperator<AccountBalance> balances =
          BalanceProjection.project(
              events.events(),
              params.job(),
              params.topic(Topics.ACCOUNT_EVENTS),
              params.get(REPLAY_UNTIL));
      Output.write(balances, outputs.balances(), params, Topics.BALANCES);
      DataStream<DeadLetter> rejected = balanceTable(balances, params);
      if (rejected != null) {
        // Only the rows the table refused: the replay reports nothing else again.
        Output.write(rejected, outputs.deadLetters(), params, RejectedTopics.deadLetters(JOB));
      }
      return;
    }

    Input<AccountCommand> commands = inputs.read(Topics.ACCOUNT_COMMANDS, sources.commands());
    SingleOutputStreamOperator<AccountEvent> appended =
        CommandSide.handle(commands.events(), params.get(IDEMPOTENCY_RETENTION));
    Output.write(appended, outputs.events(), params, Topics.ACCOUNT_EVENTS);
    Output.write(
        appended.getSideOutput(CommandSide.REJECTIONS),
        outputs.rejections(),
        params,
        Topics.COMMAND_REJECTIONS);

    // The projection reads what the event store holds (committed events only), not the
    // aggregate's output: the same path as a rebuild. Every event counts, so none is late.
    Input<AccountEvent> stored = inputs.readEveryRecord(Topics.ACCOUNT_EVENTS, sources.events());
    SingleOutputStreamOperator<AccountBalance> balances =
        BalanceProjection.project(
            stored.events(), params.job(), params.topic(Topics.ACCOUNT_EVENTS), null);
    Output.write(balances, outputs.balances(), params, Topics.BALANCES);
    List<DataStream<DeadLetter>> problems = new ArrayList<>();
    problems.add(balances.getSideOutput(BalanceProjection.PROBLEMS));
    DataStream<DeadLetter> rejected = balanceTable(balances, params);
    if (rejected != null) {
      problems.add(rejected);
    }
    inputs.writeRejected(outputs.deadLetters(), outputs.late(), problems);
  }

  /**
   * With {@code --read-model-jdbc-url}, the balances also go into their PostgreSQL table (created
   * first if missing); returns the rows the table refused, or null without a table.
   */
  private static DataStream<DeadLetter> balanceTable(
      DataStream<AccountBalance> balances, JobParameters params) {
    if (!ReadModelDatabase.enabled(params)) {
      return null;
    }
    String table = params.get(BALANCES_TABLE);
    ReadModelDatabase.migrate(params, Map.of(table, ReadModelTables.BALANCES.name()));
    DataStream<Upsert<AccountBalance>> upserts =
        balances
            .map(b -> new Upsert<>(b.accountId(), b), BALANCE_UPSERT)
            .name("balances: as table rows");
    return ReadModelSinks.write(upserts, ReadModelTables.BALANCES, table, params, BALANCE_UPSERT);
  }
}
