package com.acme.shop.activity;

import com.acme.shop.model.ClickEvent;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Counts the clicks of a window as they arrive, so a window holds one long, never its events. */
final class CountClicks implements AggregateFunction<ClickEvent, Long, Long> {
  @Override
  public Long createAccumulator() {
    return 0L;
  }

  @Override
  public Long add(ClickEvent click, Long count) {
    return count + 1;
  }

  @Override
  public Long getResult(Long count) {
    return count;
  }

  @Override
  public Long merge(Long a, Long b) {
    return a + b;
  }
}
