package com.acme.shop.cdc;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What one non-cancelled order adds to a group of a summary ({@link Totals}): one order, its units
 * and amount, and its creation time (for the group's latest order).
 */
public record Contribution(String group, long units, BigDecimal amount, Instant time) {}
