package com.acme.shop.datagen;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One actor's sequence of events (a user's visit, an order's saga, an account's life). Events are
 * created late, from the time their slot in the block gets, so a journey's events are in time order
 * however journeys are interleaved.
 */
final class Journey {
  /** An event still waiting for its time. */
  interface Step extends Function<Instant, Generated> {}

  final List<Step> steps = new ArrayList<>();

  Journey add(Step step) {
    steps.add(step);
    return this;
  }

  int size() {
    return steps.size();
  }

  /** An event as a key and a value object, before it is written as JSON. */
  record Generated(String key, Object event) {}

  /**
   * Interleaves journeys round-robin into exactly {@code size} slots, keeping each journey's order.
   * Journeys past the block's end are cut off, as a stream cut at any moment would cut them.
   */
  static List<Step> interleave(List<Journey> journeys, int size) {
    List<Step> out = new ArrayList<>(size);
    int[] next = new int[journeys.size()];
    boolean progress = true;
    while (out.size() < size && progress) {
      progress = false;
      for (int j = 0; j < journeys.size() && out.size() < size; j++) {
        Journey journey = journeys.get(j);
        if (next[j] < journey.size()) {
          out.add(journey.steps.get(next[j]++));
          progress = true;
        }
      }
    }
    return out;
  }
}
