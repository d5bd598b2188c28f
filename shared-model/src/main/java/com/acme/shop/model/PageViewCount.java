package com.acme.shop.model;

import java.time.Instant;

/** Views and distinct users of one page in a tumbling minute ({@code activity.page-views}). */
public record PageViewCount(
    String page, Instant windowStart, Instant windowEnd, long views, long uniqueUsers) {}
