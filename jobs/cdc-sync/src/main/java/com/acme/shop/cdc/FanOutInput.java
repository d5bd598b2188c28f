package com.acme.shop.cdc;

/** What a {@link FanOut} reads: a change of its entity's row, or an order's membership. */
public record FanOutInput<R>(RowChange<R> change, Membership membership) {
  static <R> FanOutInput<R> of(RowChange<R> change) {
    return new FanOutInput<>(change, null);
  }

  static <R> FanOutInput<R> of(Membership membership) {
    return new FanOutInput<>(null, membership);
  }

  long entityId() {
    return change != null ? change.id() : membership.entityId();
  }
}
