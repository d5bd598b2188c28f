package com.acme.shop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.json.Json;
import com.acme.shop.testing.LocalResources;
import com.acme.shop.testing.TopicIO;
import com.acme.shop.testing.TopicIO.Received;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/cdc.sh} as a user runs it, on free ports with its own state directory: start with
 * the broker of {@code scripts/kafka.sh}, both connectors RUNNING, {@code scripts/shop-load.sh}
 * writing, the change and outbox topics filling, clear refusals (a second start, a taken port, no
 * broker), and a stop that drops the slots and leaves no process; then a start again on the same
 * data.
 */
class CdcScriptsIT {
  static final Duration START_TIMEOUT = Duration.ofMinutes(6);

  @Test
  void theCdcStackStartsPublishesAndStopsCleanly() throws Exception {
    Path localDir = Files.createTempDirectory("shop-cdc-e2e-");
    Scripts scripts =
        new Scripts(Scripts.projectRoot(), localDir)
            .with("CDC_PG_PORT", String.valueOf(LocalResources.freePort()))
            .with("CDC_CONNECT_PORT", String.valueOf(LocalResources.freePort()));
    try {
      assertThat(scripts.run(START_TIMEOUT, "cdc.sh", "start").stderr())
          .contains("no Kafka broker at " + scripts.bootstrapServers());
      assertThat(Scripts.processesOf(localDir)).isEmpty();

      scripts.run(START_TIMEOUT, "kafka.sh", "start").orFail("kafka.sh start");
      assertThat(scripts.run(START_TIMEOUT, "cdc.sh", "start").orFail("cdc.sh start").stdout())
          .contains("CDC stack running");
      assertThat(scripts.run(Duration.ofMinutes(1), "cdc.sh", "status").orFail("status").stdout())
          .contains("connector shop-tables: RUNNING [RUNNING]")
          .contains("connector shop-outbox: RUNNING [RUNNING]")
          .contains("slot shop_tables: active")
          .contains("slot shop_outbox: active");
      assertThat(scripts.run(START_TIMEOUT, "cdc.sh", "start").stderr())
          .contains("already running");

      String load =
          scripts
              .run(
                  Duration.ofMinutes(3),
                  "shop-load.sh",
                  "--rate",
                  "0",
                  "--statements",
                  "300",
                  "--seed",
                  "7")
              .orFail("shop-load.sh")
              .stdout();
      long events = Long.parseLong(load.replaceAll("(?s).*outboxEvents=(\\d+).*", "$1"));
      assertThat(events).isPositive();

      TopicIO io = new TopicIO(scripts.bootstrapServers());
      awaitRecords(io, "orders.events", events);
      List<Received> outbox = io.readAll("orders.events");
      assertThat(outbox).hasSize((int) events);
      assertThat(outbox)
          .allSatisfy(
              r ->
                  assertThat(Json.mapper().readTree(r.value()).get("orderId").asText())
                      .isEqualTo(r.key()));
      // The snapshot's seed rows and the load's changes.
      assertThat(io.readAll("shop.public.orders")).hasSizeGreaterThan(50);

      Scripts.Result stop = scripts.run(Duration.ofMinutes(2), "cdc.sh", "stop").orFail("stop");
      assertThat(stop.stdout())
          .contains("dropped the replication slot shop_tables")
          .contains("dropped the replication slot shop_outbox");
      assertThat(scripts.run(Duration.ofMinutes(1), "cdc.sh", "status").exitCode()).isEqualTo(3);
      assertThat(Scripts.processesOf(localDir)).as("processes left").hasSize(1); // kafka

      // A taken port: a clear refusal, nothing started.
      int taken = LocalResources.freePort();
      try (ServerSocket blocker = new ServerSocket(taken)) {
        Scripts.Result refused =
            scripts
                .with("CDC_PG_PORT", String.valueOf(taken))
                .run(START_TIMEOUT, "cdc.sh", "start");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("port " + taken).contains("already in use");
      }
      assertThat(Scripts.processesOf(localDir)).hasSize(1);

      // The same data again: the connectors start afresh (a new snapshot), on new slots.
      scripts.with("CDC_PG_PORT", String.valueOf(LocalResources.freePort()));
      scripts.run(START_TIMEOUT, "cdc.sh", "start").orFail("cdc.sh start again");
      scripts.run(Duration.ofMinutes(2), "cdc.sh", "stop").orFail("stop again");
    } finally {
      scripts.run(Duration.ofMinutes(2), "cdc.sh", "stop");
      scripts.run(Duration.ofMinutes(1), "kafka.sh", "stop");
      try {
        assertThat(Scripts.processesOf(localDir)).as("processes left").isEmpty();
      } finally {
        LocalResources.deleteRecursively(localDir);
      }
    }
  }

  static void awaitRecords(TopicIO io, String topic, long count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (io.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum() < count
        && System.nanoTime() < deadline) {
      Thread.sleep(250); // polling the topic for a condition
    }
  }
}
