package com.acme.shop.model;

import java.time.Instant;
import java.util.List;

/** One detection of a fraud rule ({@code fraud.alerts}, keyed by alertId). */
public record FraudAlert(
    String alertId,
    String rule,
    String key,
    String severity,
    List<String> eventIds,
    Instant firstEventTime,
    Instant lastEventTime,
    Instant detectedAt,
    String details) {}
