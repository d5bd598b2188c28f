package com.acme.shop.activity;

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
    outputs.put("page views", PageViews::count);
    outputs.put("event rates", EventRates::count);
    outputs.put("sessions", Sessions::summarise);
    outputs.put("cart abandonment", CartAbandonments::detect);
    outputs.put("bot alerts", BotAlerts::detect);
    return outputs;
  }
}
