package com.acme.shop.model;

import java.math.BigDecimal;
import java.time.Instant;

/** Time from an order being placed to its payment being authorized. */
public record PaymentLatency(
    String orderId, BigDecimal amount, Instant placedAt, Instant paidAt, long latencyMs) {}
