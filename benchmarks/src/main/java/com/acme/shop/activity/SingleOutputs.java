package com.acme.shop.activity;

import com.acme.shop.flink.LateEvents;
import com.acme.shop.model.ClickEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Each output of activity-monitor on its own, for the benchmark's breakdown of where the job's time
 * goes. In the job's package because the outputs' builders are package-private.
 */
public final class SingleOutputs {
  private SingleOutputs() {}

  /** Output name → the operators that compute it from the job's valid, on-time clicks. */
  public static Map<String, BiFunction<DataStream<ClickEvent>, Duration, DataStream<?>>> all() {
    Map<String, BiFunction<DataStream<ClickEvent>, Duration, DataStream<?>>> outputs =
        new LinkedHashMap<>();
    // Late clicks are not written anywhere here: the benchmark's input has none.
    LateEvents<ClickEvent> late = ActivityMonitorJob.lateClicks("bench.clicks");
    outputs.put(
        "page views", (clicks, lateness) -> PageViews.count(clicks, lateness, late).counts());
    outputs.put("event rates", (clicks, lateness) -> EventRates.count(clicks, lateness, late));
    outputs.put("sessions", (clicks, lateness) -> Sessions.summarise(clicks, lateness, late));
    outputs.put(
        "cart abandonment", (clicks, lateness) -> CartAbandonments.detect(clicks, lateness, late));
    outputs.put("bot alerts", (clicks, lateness) -> BotAlerts.detect(clicks, lateness, late));
    return outputs;
  }
}
