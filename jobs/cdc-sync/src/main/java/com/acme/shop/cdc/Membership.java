package com.acme.shop.cdc;

/**
 * An order joining ({@code attached}) or leaving the orders of a customer or product: sent by the
 * orders' {@link CurrentRows} to the {@link FanOut} of that entity when an order is created,
 * deleted, or moved to another customer or product.
 */
public record Membership(long entityId, long orderId, boolean attached) {}
