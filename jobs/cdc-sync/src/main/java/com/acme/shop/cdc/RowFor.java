package com.acme.shop.cdc;

/**
 * The current row of a customer or product ({@code entityId}) for one order that references it;
 * {@code row} null means the order must forget that entity (deleted, not there yet, or the order
 * left it).
 */
public record RowFor<R>(long orderId, long entityId, R row) {}
