package com.acme.shop.model;

import java.math.BigDecimal;
import java.time.Instant;

/** An order joined with its current customer and product ({@code cdc.orders-enriched}). */
public record OrderEnriched(
    long orderId,
    OrderStatus status,
    Integer quantity,
    BigDecimal total,
    Long customerId,
    String customerName,
    String customerCountry,
    String customerTier,
    Long productId,
    String productName,
    String category,
    Instant createdAt,
    Instant updatedAt) {}
