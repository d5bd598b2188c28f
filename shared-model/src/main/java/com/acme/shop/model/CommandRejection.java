package com.acme.shop.model;

import java.time.Instant;

/** A command the account aggregate refused ({@code bank.command-rejections}). */
public record CommandRejection(
    String commandId, String accountId, RejectionReason reason, Instant eventTime) {}
