package com.acme.shop.model;

/** The fraud rules of the contract; the JSON form is the constant's name. */
public enum FraudRule {
  CARD_TESTING(AlertSeverity.HIGH),
  VELOCITY(AlertSeverity.MEDIUM),
  IMPOSSIBLE_TRAVEL(AlertSeverity.HIGH),
  ACCOUNT_TAKEOVER(AlertSeverity.CRITICAL);

  private final AlertSeverity severity;

  FraudRule(AlertSeverity severity) {
    this.severity = severity;
  }

  /** How urgent an alert of this rule is; fixed per rule. */
  public AlertSeverity severity() {
    return severity;
  }
}
