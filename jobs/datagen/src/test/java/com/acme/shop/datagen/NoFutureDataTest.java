package com.acme.shop.datagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.shop.json.Json;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.params.JobParameters;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** datagen never writes an event whose time is ahead of the wall clock. */
class NoFutureDataTest {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  static JobParameters params(String... args) {
    return DataGenJob.parameters(args).orElseThrow();
  }

  @Test
  void aStartTimeInTheFutureIsRefused() {
    assertThatThrownBy(
            () ->
                DataGenJob.settings(
                    params("--start-time", "2026-11-23T12:00:01Z", "--rate", "0"), NOW))
        .hasMessageContaining("in the future");
  }

  @Test
  void aCountedRunByDefaultEndsNowInsteadOfStartingNow() {
    GeneratorSettings settings = DataGenJob.settings(params("--count", "1000", "--rate", "0"), NOW);
    // 1000 records 10 ms apart: the last slot is the moment of the start.
    assertThat(settings.start()).isEqualTo(NOW.minusSeconds(10));
  }

  @Test
  void aSlotAheadOfTheClockIsWaitedFor() {
    Instant start = Instant.ofEpochMilli(System.currentTimeMillis() + 300);
    GeneratorSettings settings =
        new GeneratorSettings(1, start, Duration.ofMillis(10), 0, 0, 0, Duration.ZERO);
    ClickstreamGenerator generator = new ClickstreamGenerator("t", settings);

    ClickEvent first = Json.parse(generator.map(0L).value(), ClickEvent.class);

    assertThat(first.eventTime()).isEqualTo(start);
    assertThat(Instant.now()).isAfterOrEqualTo(first.eventTime());
  }
}
