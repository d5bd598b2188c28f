package com.acme.shop.model;

import java.time.Instant;

/** The order saga's state after each change ({@code orders.saga}). */
public record SagaState(
    String orderId, SagaStatus state, String payment, String inventory, Instant updatedAt) {}
