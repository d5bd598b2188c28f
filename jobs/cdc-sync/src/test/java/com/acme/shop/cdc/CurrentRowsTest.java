package com.acme.shop.cdc;

import static com.acme.shop.cdc.Envelopes.order;
import static com.acme.shop.cdc.Envelopes.orderChange;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.model.Change;
import com.acme.shop.model.OrderRow;
import com.acme.shop.testing.Harnesses;
import com.acme.shop.topics.Topics;
import java.time.Duration;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Recorded envelopes of every op into the orders' current rows: each change's delta comes from the
 * job's state, redelivered changes (at or below the row's last LSN) and re-snapshots change
 * nothing, and a deleted row's state is gone after the retention.
 */
class CurrentRowsTest {
  static final Duration RETENTION = Duration.ofHours(1);

  static KeyedOneInputStreamOperatorTestHarness<Long, Change<OrderRow>, RowChange<OrderRow>>
      harness() throws Exception {
    return Harnesses.lastOperatorOf(
        Topics.ORDERS.type(), s -> CurrentRows.apply(s, Tables.ORDERS, RETENTION));
  }

  static final OrderRow NEW = order(1, 10, 20, 2, "20.00", "NEW");
  static final OrderRow PAID = order(1, 10, 20, 2, "20.00", "PAID");
  static final OrderRow SHIPPED = order(1, 10, 20, 2, "20.00", "SHIPPED");

  static void feed(
      KeyedOneInputStreamOperatorTestHarness<Long, Change<OrderRow>, RowChange<OrderRow>> h,
      Change<OrderRow> change)
      throws Exception {
    h.processElement(change, change.eventTime().toEpochMilli());
  }

  @Test
  void snapshotCreateUpdateAndDeleteGiveDeltasFromState() throws Exception {
    var h = harness();
    feed(h, orderChange("r", null, NEW, 100));
    feed(h, orderChange("u", NEW, PAID, 200));
    feed(h, orderChange("d", PAID, null, 300));
    assertThat(h.extractOutputValues())
        .containsExactly(
            new RowChange<>(1, null, NEW),
            new RowChange<>(1, NEW, PAID),
            new RowChange<>(1, PAID, null));
  }

  @Test
  void theBeforeIsTheJobsNotDebeziums() throws Exception {
    var h = harness();
    feed(h, orderChange("c", null, NEW, 100));
    // An envelope whose before disagrees with what was applied (e.g. after a skipped change).
    feed(h, orderChange("u", SHIPPED, PAID, 200));
    assertThat(h.extractOutputValues()).last().isEqualTo(new RowChange<>(1, NEW, PAID));
  }

  @Test
  void redeliveredChangesAtOrBelowTheLastLsnChangeNothing() throws Exception {
    var h = harness();
    feed(h, orderChange("c", null, NEW, 100));
    feed(h, orderChange("u", NEW, PAID, 200));
    feed(h, orderChange("c", null, NEW, 100)); // Connect restarted: both again
    feed(h, orderChange("u", NEW, PAID, 200));
    feed(h, orderChange("u", PAID, SHIPPED, 300));
    assertThat(h.extractOutputValues())
        .containsExactly(
            new RowChange<>(1, null, NEW),
            new RowChange<>(1, NEW, PAID),
            new RowChange<>(1, PAID, SHIPPED));
  }

  @Test
  void aReSnapshotOfTheCurrentRowEmitsNothing() throws Exception {
    var h = harness();
    feed(h, orderChange("c", null, NEW, 100));
    feed(h, orderChange("r", null, NEW, 500)); // a new snapshot, at a later LSN
    assertThat(h.extractOutputValues()).containsExactly(new RowChange<>(1, null, NEW));
  }

  @Test
  void aRedeliveredInsertCannotBringADeletedRowBack() throws Exception {
    var h = harness();
    feed(h, orderChange("c", null, NEW, 100));
    feed(h, orderChange("d", NEW, null, 200));
    feed(h, orderChange("c", null, NEW, 100));
    assertThat(h.extractOutputValues())
        .containsExactly(new RowChange<>(1, null, NEW), new RowChange<>(1, NEW, null));
  }

  @Test
  void aDeletedRowsStateIsClearedAfterTheRetention() throws Exception {
    var h = harness();
    Change<OrderRow> delete = orderChange("d", NEW, null, 200);
    feed(h, orderChange("c", null, NEW, 100));
    feed(h, delete);
    assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the delete's LSN
    h.processWatermark(delete.eventTime().plus(RETENTION).toEpochMilli() - 1);
    assertThat(h.numKeyedStateEntries()).isEqualTo(1);
    h.processWatermark(delete.eventTime().plus(RETENTION).toEpochMilli());
    assertThat(h.numKeyedStateEntries()).isZero();
  }

  @Test
  void aRowCreatedAgainKeepsItsLsnWhenTheOldDeletesTimerFires() throws Exception {
    var h = harness();
    Change<OrderRow> delete = orderChange("d", NEW, null, 200);
    feed(h, orderChange("c", null, NEW, 100));
    feed(h, delete);
    feed(h, orderChange("c", null, PAID, 300));
    h.processWatermark(delete.eventTime().plus(RETENTION).toEpochMilli());
    feed(h, orderChange("c", null, NEW, 250)); // older than the row's last change
    assertThat(h.extractOutputValues()).last().isEqualTo(new RowChange<>(1, null, PAID));
    assertThat(h.numKeyedStateEntries()).isEqualTo(2);
  }
}
