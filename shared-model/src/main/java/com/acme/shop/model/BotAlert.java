package com.acme.shop.model;

import java.time.Instant;

/** A user with more page views in one minute than a human makes ({@code activity.alerts}). */
public record BotAlert(String userId, Instant windowStart, Instant windowEnd, long pageViews) {}
