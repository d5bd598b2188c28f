package com.acme.shop.model;

import java.time.Instant;

/** One user session closed by a 30-minute gap ({@code activity.sessions}). */
public record SessionSummary(
    String userId,
    Instant windowStart,
    Instant windowEnd,
    long events,
    long pageViews,
    long addToCarts,
    boolean purchased) {}
