package com.acme.shop.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.datagen.AccountCommandsGenerator;
import com.acme.shop.datagen.GeneratorSettings;
import com.acme.shop.flink.JobEnvironment;
import com.acme.shop.json.Json;
import com.acme.shop.kafka.RawRecord;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.JobArgs;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.Postgres;
import com.acme.shop.testing.TopicIO.Message;
import com.acme.shop.testing.TopicIO.Received;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs the job against a test broker and reads its topics back as the test's own records. */
final class Ledger {
  private Ledger() {}

  /** Generated commands start here: in the past, so no event time is ahead of its record. */
  static final Instant START = Instant.parse("2026-11-23T09:00:00Z");

  /**
   * The options of a test run on {@code topics}, named {@code jobName}, then {@code extra}, which
   * may override any of them.
   */
  static JobParameters params(
      KafkaExtension kafka, LedgerTopics topics, String jobName, String... extra) {
    List<String> args = JobArgs.forTest(kafka, jobName, "300ms");
    // No partition may go idle on the wall clock while a run waits for the test.
    args.addAll(List.of("--idleness", "10min"));
    args.addAll(topics.options());
    args.addAll(List.of(extra));
    return AccountLedgerJob.parameters(args.toArray(String[]::new)).orElseThrow();
  }

  /** Starts the job with its Kafka sources and sinks. */
  static JobClient start(JobParameters params) throws Exception {
    return start(params, new Configuration());
  }

  static JobClient start(JobParameters params, Configuration extra) throws Exception {
    StreamExecutionEnvironment env =
        JobEnvironment.configure(StreamExecutionEnvironment.getExecutionEnvironment(), params);
    env.configure(extra);
    AccountLedgerJob.build(
        env,
        params,
        AccountLedgerJob.Sources.kafka(params),
        AccountLedgerJob.Outputs.kafka(params));
    return env.executeAsync(params.runName());
  }

  /** datagen's account commands {@code [from, to)}, as the generator writes them. */
  static List<Message> generatedCommands(long seed, long from, long to, double badShare) {
    AccountCommandsGenerator generator =
        new AccountCommandsGenerator(
            "commands",
            new GeneratorSettings(
                seed, START, Duration.ofMillis(100), 0.1, badShare, 0, Duration.ofSeconds(2)));
    return LongStream.range(from, to).mapToObj(generator::map).map(Ledger::message).toList();
  }

  private static Message message(RawRecord r) {
    return Message.of(
        new String(r.key(), StandardCharsets.UTF_8), new String(r.value(), StandardCharsets.UTF_8));
  }

  static JsonNode tree(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The commands among {@code records} that a valid command must be, read by the test from the JSON
   * with its own checks; null for a record that breaks the schema in a way these checks see. Which
   * records the job must refuse is the parser's to know, so the test tells them apart by asking the
   * shared model's parser, and reads the command's fields itself.
   */
  static ExpectedLedger.Command command(Message m) {
    try {
      Json.parse(
          m.value().getBytes(StandardCharsets.UTF_8), com.acme.shop.model.AccountCommand.class);
    } catch (IllegalArgumentException e) {
      return null;
    }
    JsonNode n = tree(m.value());
    return new ExpectedLedger.Command(
        n.get("commandId").asText(),
        n.get("accountId").asText(),
        n.get("type").asText(),
        n.hasNonNull("amount") ? new BigDecimal(n.get("amount").asText()) : null,
        n.hasNonNull("owner") ? n.get("owner").asText() : null,
        Instant.parse(n.get("eventTime").asText()));
  }

  static List<ExpectedLedger.Command> validCommands(List<Message> messages) {
    return messages.stream().map(Ledger::command).filter(c -> c != null).toList();
  }

  static ExpectedLedger.Event event(JsonNode n) {
    return new ExpectedLedger.Event(
        n.get("accountId").asText(),
        n.get("sequence").asLong(),
        n.get("type").asText(),
        n.hasNonNull("amount") ? n.get("amount").decimalValue().setScale(2) : null,
        n.hasNonNull("owner") ? n.get("owner").asText() : null,
        n.get("commandId").asText(),
        Instant.parse(n.get("eventTime").asText()));
  }

  /** The event store's events in partition and offset order, after checking keys and ids. */
  static List<ExpectedLedger.Event> events(KafkaExtension kafka, String topic) {
    List<ExpectedLedger.Event> events = new ArrayList<>();
    for (Received r : kafka.topics().readAll(topic)) {
      JsonNode n = tree(r.value());
      ExpectedLedger.Event e = event(n);
      assertThat(r.key()).isEqualTo(e.accountId());
      assertThat(n.get("eventId").asText()).isEqualTo(e.accountId() + "#" + e.sequence());
      events.add(e);
    }
    return events;
  }

  static List<ExpectedLedger.Rejection> rejections(KafkaExtension kafka, String topic) {
    List<ExpectedLedger.Rejection> out = new ArrayList<>();
    for (Received r : kafka.topics().readAll(topic)) {
      JsonNode n = tree(r.value());
      assertThat(r.key()).isEqualTo(n.get("accountId").asText());
      out.add(
          new ExpectedLedger.Rejection(
              n.get("commandId").asText(),
              n.get("accountId").asText(),
              n.get("reason").asText(),
              Instant.parse(n.get("eventTime").asText())));
    }
    return out;
  }

  /** The upsert topic's latest record per account: the balances as the read model holds them. */
  static Map<String, ExpectedLedger.Balance> balances(KafkaExtension kafka, String topic) {
    Map<String, ExpectedLedger.Balance> latest = new LinkedHashMap<>();
    for (Received r : kafka.topics().readAll(topic)) {
      JsonNode n = tree(r.value());
      ExpectedLedger.Balance b =
          new ExpectedLedger.Balance(
              n.get("accountId").asText(),
              n.get("owner").asText(),
              n.get("balance").decimalValue().setScale(2),
              n.get("status").asText(),
              n.get("version").asLong(),
              Instant.parse(n.get("asOf").asText()));
      assertThat(r.key()).isEqualTo(b.accountId());
      latest.put(b.accountId(), b);
    }
    return latest;
  }

  /** The rows of {@code read_models.<table>}, as balances. */
  static Map<String, ExpectedLedger.Balance> balancesTable(Postgres pg, String table)
      throws Exception {
    Map<String, ExpectedLedger.Balance> rows = new LinkedHashMap<>();
    try (Connection c = pg.shop();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM read_models." + table)) {
      while (r.next()) {
        rows.put(
            r.getString("account_id"),
            new ExpectedLedger.Balance(
                r.getString("account_id"),
                r.getString("owner"),
                r.getBigDecimal("balance"),
                r.getString("status"),
                r.getLong("version"),
                r.getObject("as_of", OffsetDateTime.class).toInstant()));
      }
    }
    return rows;
  }
}
