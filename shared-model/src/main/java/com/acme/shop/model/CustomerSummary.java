package com.acme.shop.model;

import java.math.BigDecimal;
import java.time.Instant;

/** A customer's non-cancelled orders ({@code cdc.customer-summary}). */
public record CustomerSummary(
    long customerId, long orders, BigDecimal totalSpent, Instant lastOrderAt) {}
