package com.acme.shop.cdc;

import static com.acme.shop.cdc.Envelopes.customer;
import static com.acme.shop.cdc.Envelopes.order;
import static com.acme.shop.cdc.Envelopes.product;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.model.CustomerRow;
import com.acme.shop.model.OrderEnriched;
import com.acme.shop.model.OrderRow;
import com.acme.shop.model.ProductRow;
import com.acme.shop.testing.Harnesses;
import com.acme.shop.topics.Topics;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The two halves of the join alone: a fan-out sends its entity's current row to the orders that
 * reference it, and the order's join gives the right final row whatever order its inputs come in
 * (an order before its customer, a product update before the order's insert), with its state gone
 * after the order is deleted.
 */
class JoinTest {
  static final CustomerRow ADA = customer(10, "Ada", "DE", "GOLD");
  static final CustomerRow ADA_SILVER = customer(10, "Ada", "DE", "SILVER");
  static final CustomerRow BOB = customer(11, "Bob", "FR", "BRONZE");
  static final ProductRow BOOK = product(20, "books", "10.00");
  static final ProductRow BOOK_MOVED = product(20, "media", "10.00");
  static final OrderRow ORDER = order(1, 10, 20, 2, "20.00", "NEW");
  static final OrderRow ORDER_OF_BOB = order(1, 11, 20, 2, "20.00", "NEW");

  static KeyedOneInputStreamOperatorTestHarness<Long, JoinInput, Joined<OrderEnriched>> join()
      throws Exception {
    return Harnesses.lastOperatorOf(
        Tables.JOIN_INPUT,
        s ->
            s.keyBy(JoinInput::orderId)
                .process(
                    new OrderJoin<>(ReadModels::enriched, Topics.ORDERS_ENRICHED.type()),
                    OrderJoin.joinedType(new TypeHint<Joined<OrderEnriched>>() {})));
  }

  static JoinInput orderIs(OrderRow before, OrderRow after) {
    return JoinInput.of(new RowChange<>(1, before, after));
  }

  static JoinInput customerIs(long id, CustomerRow row) {
    return JoinInput.customer(new RowFor<>(1, id, row));
  }

  static JoinInput productIs(long id, ProductRow row) {
    return JoinInput.product(new RowFor<>(1, id, row));
  }

  static List<OrderEnriched> rows(
      KeyedOneInputStreamOperatorTestHarness<Long, JoinInput, Joined<OrderEnriched>> h,
      JoinInput... inputs)
      throws Exception {
    for (JoinInput input : inputs) {
      h.processElement(input, 0);
    }
    return h.extractOutputValues().stream().map(Joined::after).toList();
  }

  @Test
  void anOrderBeforeItsCustomerHasNoRowUntilTheCustomerArrives() throws Exception {
    var h = join();
    assertThat(
            rows(
                h,
                orderIs(null, ORDER),
                productIs(20, BOOK),
                customerIs(10, null), // the fan-out: no such customer yet
                customerIs(10, ADA)))
        .containsExactly(ReadModels.enriched(ORDER, ADA, BOOK));
  }

  @Test
  void aProductUpdateBeforeTheOrdersInsertGivesTheUpdatedProduct() throws Exception {
    var h = join();
    assertThat(
            rows(
                h,
                productIs(20, BOOK),
                customerIs(10, ADA),
                productIs(20, BOOK_MOVED),
                orderIs(null, ORDER)))
        .containsExactly(ReadModels.enriched(ORDER, ADA, BOOK_MOVED));
  }

  @Test
  void aCustomerChangeReEmitsAndItsDeleteIsATombstone() throws Exception {
    var h = join();
    assertThat(
            rows(
                h,
                orderIs(null, ORDER),
                productIs(20, BOOK),
                customerIs(10, ADA),
                customerIs(10, ADA_SILVER),
                customerIs(10, null)))
        .containsExactly(
            ReadModels.enriched(ORDER, ADA, BOOK),
            ReadModels.enriched(ORDER, ADA_SILVER, BOOK),
            null);
  }

  @Test
  void anOrderMovedToAnotherCustomerFindsItWhicheverArrivesFirst() throws Exception {
    var h = join();
    rows(h, orderIs(null, ORDER), productIs(20, BOOK), customerIs(10, ADA));
    // Bob's fan-out answers the order's move before the move itself reaches the join.
    assertThat(rows(h, customerIs(11, BOB), orderIs(ORDER, ORDER_OF_BOB), customerIs(10, null)))
        .last()
        .isEqualTo(ReadModels.enriched(ORDER_OF_BOB, BOB, BOOK));
  }

  @Test
  void aDeletedOrderIsATombstoneAndLeavesNoState() throws Exception {
    var h = join();
    rows(h, orderIs(null, ORDER), productIs(20, BOOK), customerIs(10, ADA));
    assertThat(rows(h, orderIs(ORDER, null), customerIs(10, null), productIs(20, null)))
        .last()
        .isNull();
    assertThat(h.extractOutputValues()).hasSize(2); // the row, then one tombstone
    assertThat(h.numKeyedStateEntries()).isZero();
  }

  static KeyedOneInputStreamOperatorTestHarness<Long, FanOutInput<CustomerRow>, RowFor<CustomerRow>>
      fanOut() throws Exception {
    return Harnesses.lastOperatorOf(
        Tables.CUSTOMERS.fanOutInputType(),
        s ->
            s.keyBy(FanOutInput::entityId)
                .process(new FanOut<>(Tables.CUSTOMERS), Tables.CUSTOMERS.rowForType()));
  }

  @Test
  void aFanOutSendsItsRowToEveryCurrentOrderAndForgetsDeletedCustomers() throws Exception {
    var h = fanOut();
    h.processElement(FanOutInput.of(new Membership(10, 1, true)), 0);
    h.processElement(FanOutInput.of(new RowChange<>(10, null, ADA)), 0);
    h.processElement(FanOutInput.of(new Membership(10, 2, true)), 0);
    h.processElement(FanOutInput.of(new Membership(10, 1, false)), 0);
    h.processElement(FanOutInput.of(new RowChange<>(10, ADA, ADA_SILVER)), 0);
    h.processElement(FanOutInput.of(new RowChange<>(10, ADA_SILVER, null)), 0);
    assertThat(h.extractOutputValues())
        .containsExactly(
            new RowFor<>(1, 10, null),
            new RowFor<>(1, 10, ADA),
            new RowFor<>(2, 10, ADA),
            new RowFor<>(1, 10, null),
            new RowFor<>(2, 10, ADA_SILVER),
            new RowFor<>(2, 10, null));
    h.processElement(FanOutInput.of(new Membership(10, 2, false)), 0);
    assertThat(h.numKeyedStateEntries()).isZero();
  }

  @Test
  void aChangeNoReadModelShowsIsNotSentToTheOrders() throws Exception {
    var h = fanOut();
    CustomerRow touched =
        new CustomerRow(10L, "new@shop.test", "Ada", "DE", "GOLD", ADA.updatedAt().plusSeconds(1));
    h.processElement(FanOutInput.of(new RowChange<>(10, null, ADA)), 0);
    h.processElement(FanOutInput.of(new Membership(10, 1, true)), 0);
    h.processElement(FanOutInput.of(new RowChange<>(10, ADA, touched)), 0); // email, updated_at
    h.processElement(FanOutInput.of(new RowChange<>(10, touched, ADA_SILVER)), 0);
    assertThat(h.extractOutputValues())
        .containsExactly(new RowFor<>(1, 10, ADA), new RowFor<>(1, 10, ADA_SILVER));
  }
}
