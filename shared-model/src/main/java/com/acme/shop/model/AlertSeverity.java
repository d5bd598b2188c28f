package com.acme.shop.model;

/**
 * How urgent a fraud alert is, lowest first; the JSON form is the constant's name.
 *
 * <ul>
 *   <li>{@code MEDIUM}: unusual, worth a look (a burst of transactions);
 *   <li>{@code HIGH}: a known fraud pattern on a card (card testing, impossible travel);
 *   <li>{@code CRITICAL}: an account is probably in someone else's hands (account takeover).
 * </ul>
 *
 * {@code LOW} is kept for rules that only inform.
 */
public enum AlertSeverity {
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL
}
