package com.acme.shop.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.flink.Upsert;
import com.acme.shop.testing.Harnesses;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Retractions subtract exactly what was added; a group at zero orders is a tombstone. */
class TotalsTest {
  static final Instant T1 = Instant.parse("2026-11-23T09:00:01Z");
  static final Instant T2 = Instant.parse("2026-11-23T09:00:02Z");

  static KeyedOneInputStreamOperatorTestHarness<String, Delta, Upsert<Totals>> harness()
      throws Exception {
    return Harnesses.lastOperatorOf(
        Tables.DELTA, s -> s.keyBy(Delta::group).process(new Totals.Sum(), Totals.UPSERT));
  }

  static Contribution books(long units, String amount, Instant time) {
    return new Contribution("books", units, new BigDecimal(amount), time);
  }

  /** One order's change, through the job's own retract-and-add step. */
  static List<Upsert<Totals>> feed(
      KeyedOneInputStreamOperatorTestHarness<String, Delta, Upsert<Totals>> h,
      Joined<Contribution> change)
      throws Exception {
    List<Delta> deltas = new java.util.ArrayList<>();
    Totals.deltas()
        .flatMap(change, new org.apache.flink.api.common.functions.util.ListCollector<>(deltas));
    for (Delta d : deltas) {
      h.processElement(d, 0);
    }
    return h.extractOutputValues();
  }

  @Test
  void anUpdateRetractsTheOldContributionAndAddsTheNew() throws Exception {
    var h = harness();
    feed(h, new Joined<>(1, null, books(2, "20.00", T1)));
    feed(h, new Joined<>(2, null, books(1, "5.50", T2)));
    assertThat(feed(h, new Joined<>(2, books(1, "5.50", T2), books(3, "16.50", T2))))
        .last()
        .isEqualTo(new Upsert<>("books", new Totals("books", 2, 5, new BigDecimal("36.50"), T2)));
  }

  @Test
  void retractingTheLatestOrderFindsTheOneBefore() throws Exception {
    var h = harness();
    feed(h, new Joined<>(1, null, books(2, "20.00", T1)));
    feed(h, new Joined<>(2, null, books(1, "5.50", T2)));
    assertThat(feed(h, new Joined<>(2, books(1, "5.50", T2), null)))
        .last()
        .isEqualTo(new Upsert<>("books", new Totals("books", 1, 2, new BigDecimal("20.00"), T1)));
  }

  @Test
  void aGroupAtZeroOrdersIsATombstoneAndLeavesNoState() throws Exception {
    var h = harness();
    feed(h, new Joined<>(1, null, books(2, "20.00", T1)));
    assertThat(feed(h, new Joined<>(1, books(2, "20.00", T1), null)))
        .last()
        .isEqualTo(new Upsert<Totals>("books", null));
    assertThat(h.numKeyedStateEntries()).isZero();
  }

  @Test
  void anOrderThatStaysInItsGroupIsOneUpsertNotARetractionAndAnAddition() throws Exception {
    var h = harness();
    feed(h, new Joined<>(1, null, books(2, "20.00", T1)));
    assertThat(feed(h, new Joined<>(1, books(2, "20.00", T1), books(3, "30.00", T1))))
        .containsExactly(
            new Upsert<>("books", new Totals("books", 1, 2, new BigDecimal("20.00"), T1)),
            new Upsert<>("books", new Totals("books", 1, 3, new BigDecimal("30.00"), T1)));
  }

  @Test
  void anOrderMovingToAnotherGroupLeavesOneAndJoinsTheOther() throws Exception {
    var h = harness();
    feed(h, new Joined<>(1, null, books(2, "20.00", T1)));
    Contribution inGames = new Contribution("games", 2, new BigDecimal("20.00"), T1);
    assertThat(feed(h, new Joined<>(1, books(2, "20.00", T1), inGames)))
        .containsExactly(
            new Upsert<>("books", new Totals("books", 1, 2, new BigDecimal("20.00"), T1)),
            new Upsert<Totals>("books", null),
            new Upsert<>("games", new Totals("games", 1, 2, new BigDecimal("20.00"), T1)));
  }

  /**
   * Random changes of random orders, against totals recomputed from scratch over the orders'
   * current contributions after every change: the latest time in particular, which the sum keeps
   * without looking at every order.
   */
  @Test
  void theTotalsAreThoseOfTheCurrentContributionsAfterEveryChange() throws Exception {
    var h = harness();
    java.util.Random random = new java.util.Random(7);
    java.util.Map<Long, Contribution> current = new java.util.HashMap<>();
    String[] groups = {"books", "games", "toys"};
    for (int i = 0; i < 5_000; i++) {
      long orderId = random.nextInt(40);
      Contribution before = current.get(orderId);
      Contribution after =
          random.nextInt(5) == 0
              ? null
              : new Contribution(
                  groups[random.nextInt(groups.length)],
                  1 + random.nextInt(3),
                  new BigDecimal(random.nextInt(10_000)).movePointLeft(2),
                  T1.plusSeconds(random.nextInt(30)));
      if (after == null) {
        current.remove(orderId);
      } else {
        current.put(orderId, after);
      }
      int seen = h.extractOutputValues().size();
      List<Upsert<Totals>> out = feed(h, new Joined<>(orderId, before, after));
      for (Upsert<Totals> upsert : out.subList(seen, out.size())) {
        assertThat(upsert.value()).as("change %d", i).isEqualTo(recomputed(current, upsert.key()));
      }
    }
  }

  private static Totals recomputed(java.util.Map<Long, Contribution> orders, String group) {
    List<Contribution> in = orders.values().stream().filter(c -> c.group().equals(group)).toList();
    if (in.isEmpty()) {
      return null;
    }
    return new Totals(
        group,
        in.size(),
        in.stream().mapToLong(Contribution::units).sum(),
        in.stream().map(Contribution::amount).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add),
        in.stream().map(Contribution::time).max(Instant::compareTo).orElseThrow());
  }

  @Test
  void anUnchangedContributionEmitsNothing() throws Exception {
    var h = harness();
    feed(h, new Joined<>(1, null, books(2, "20.00", T1)));
    assertThat(feed(h, new Joined<>(1, books(2, "20.00", T1), books(2, "20.00", T1)))).hasSize(1);
  }
}
