package com.acme.shop.cdc;

/**
 * A change of one order's contribution to one group: {@code removed} is retracted, {@code added}
 * added; either may be null, not both. An order that stays in its group is one delta, applied at
 * once, so its group is never seen without it.
 */
public record Delta(Contribution removed, Contribution added) {
  String group() {
    return added != null ? added.group() : removed.group();
  }
}
