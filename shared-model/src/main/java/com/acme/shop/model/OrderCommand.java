package com.acme.shop.model;

import java.time.Instant;

/** A command the order saga issues ({@code orders.commands}); commandId is deterministic. */
public record OrderCommand(
    String commandId, String orderId, OrderCommandType type, Instant eventTime) {}
