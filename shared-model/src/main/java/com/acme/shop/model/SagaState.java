package com.acme.shop.model;

import java.time.Instant;

/**
 * The order saga's state after each change ({@code orders.saga}). {@code updatedAt} is the event
 * time of the change (the event that caused it, or the deadline for a time-out), never the clock,
 * so a replay writes the same records.
 */
public record SagaState(
    String orderId,
    SagaStatus state,
    PaymentStatus payment,
    InventoryStatus inventory,
    Instant updatedAt) {}
