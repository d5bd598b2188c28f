package com.acme.shop.model;

import java.math.BigDecimal;
import java.time.Instant;

/** The balance projection of one account ({@code bank.balances}, upsert). */
public record AccountBalance(
    String accountId,
    String owner,
    BigDecimal balance,
    AccountStatus status,
    long version,
    Instant asOf) {}
