package com.acme.shop.cdc;

/**
 * What an order's projection was ({@code before}) and is ({@code after}); null when the order has
 * none, e.g. its product is not there. Emitted by {@link OrderJoin} only when it changes.
 */
public record Joined<T>(long orderId, T before, T after) {}
