package com.acme.shop.model;

import java.time.Instant;

/** Events of one type in a sliding window ({@code activity.event-rates}). */
public record EventRate(String type, Instant windowStart, Instant windowEnd, long count) {}
