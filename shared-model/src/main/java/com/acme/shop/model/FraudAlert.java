package com.acme.shop.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One detection of a fraud rule ({@code fraud.alerts}, keyed by alertId). Everything but {@code
 * detectedAt} follows from the events, so a replay writes the same alert under the same id.
 *
 * @param key the card (payment rules) or the user (logins) the rule is keyed by
 * @param eventIds the triggering events in event-time order; capped, see the job's README
 * @param details the rule's own facts, e.g. a window's bounds and count, as text
 */
public record FraudAlert(
    String alertId,
    FraudRule rule,
    String key,
    AlertSeverity severity,
    List<String> eventIds,
    Instant firstEventTime,
    Instant lastEventTime,
    Instant detectedAt,
    Map<String, String> details) {}
