package com.acme.shop.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the ledger must write for a list of commands, worked out here from the contract's rules
 * alone, with plain maps and none of the job's code: the expectation the integration tests hold the
 * job to. Commands are given in the order each account receives them.
 */
final class ExpectedLedger {
  /** An expected event, as the fields the contract fixes. */
  record Event(
      String accountId,
      long sequence,
      String type,
      BigDecimal amount,
      String owner,
      String commandId,
      Instant eventTime) {}

  record Rejection(String commandId, String accountId, String reason, Instant eventTime) {}

  record Balance(
      String accountId,
      String owner,
      BigDecimal balance,
      String status,
      long version,
      Instant asOf) {}

  /** A command as the test read it from its own JSON: wire names, amount as given. */
  record Command(
      String commandId,
      String accountId,
      String type,
      BigDecimal amount,
      String owner,
      Instant eventTime) {}

  final List<Event> events = new ArrayList<>();
  final List<Rejection> rejections = new ArrayList<>();
  final Map<String, Balance> balances = new LinkedHashMap<>();
  private final Set<String> seen = new HashSet<>();
  int retries;

  static ExpectedLedger of(List<Command> commands) {
    ExpectedLedger ledger = new ExpectedLedger();
    commands.forEach(ledger::handle);
    return ledger;
  }

  private void handle(Command c) {
    if (!seen.add(c.accountId() + "\u0000" + c.commandId())) {
      retries++;
      return;
    }
    Balance account = balances.get(c.accountId());
    String reason = reason(account, c);
    if (reason != null) {
      rejections.add(new Rejection(c.commandId(), c.accountId(), reason, c.eventTime()));
      return;
    }
    long sequence = account == null ? 1 : account.version() + 1;
    String eventType =
        switch (c.type()) {
          case "OpenAccount" -> "AccountOpened";
          case "Deposit" -> "MoneyDeposited";
          case "Withdraw" -> "MoneyWithdrawn";
          default -> "AccountClosed";
        };
    boolean moves = c.type().equals("Deposit") || c.type().equals("Withdraw");
    Event event =
        new Event(
            c.accountId(),
            sequence,
            eventType,
            moves ? c.amount().setScale(2) : null,
            c.type().equals("OpenAccount") ? c.owner() : null,
            c.commandId(),
            c.eventTime());
    events.add(event);
    balances.put(c.accountId(), fold(account, event));
  }

  /** Why the contract's rules refuse {@code c}, or null; in the order the job's README gives. */
  private static String reason(Balance account, Command c) {
    boolean moves = c.type().equals("Deposit") || c.type().equals("Withdraw");
    if (moves && c.amount().signum() <= 0) {
      return "INVALID_AMOUNT";
    }
    if (c.type().equals("OpenAccount")) {
      return account == null ? null : "ACCOUNT_EXISTS";
    }
    if (account == null) {
      return "NO_SUCH_ACCOUNT";
    }
    if (account.status().equals("CLOSED")) {
      return "ACCOUNT_CLOSED";
    }
    if (c.type().equals("Withdraw") && c.amount().compareTo(account.balance()) > 0) {
      return "INSUFFICIENT_FUNDS";
    }
    if (c.type().equals("CloseAccount") && account.balance().signum() != 0) {
      return "NONZERO_BALANCE";
    }
    return null;
  }

  /** The balance after one more event, as the projection must compute it. */
  static Balance fold(Balance before, Event e) {
    BigDecimal balance = before == null ? new BigDecimal("0.00") : before.balance();
    if (e.type().equals("MoneyDeposited")) {
      balance = balance.add(e.amount());
    } else if (e.type().equals("MoneyWithdrawn")) {
      balance = balance.subtract(e.amount());
    }
    return new Balance(
        e.accountId(),
        before == null ? e.owner() : before.owner(),
        balance,
        e.type().equals("AccountClosed") ? "CLOSED" : "OPEN",
        e.sequence(),
        e.eventTime());
  }

  /**
   * The balances as they stood at {@code instant}, from an event store's contents: per account, its
   * events in sequence order, each applied only if it is the next sequence, up to the first whose
   * time is after the instant.
   */
  static Map<String, Balance> balancesAt(List<Event> store, Instant instant) {
    Map<String, Balance> balances = new LinkedHashMap<>();
    Set<String> stopped = new HashSet<>();
    for (Event e : store) {
      if (stopped.contains(e.accountId())) {
        continue;
      }
      Balance before = balances.get(e.accountId());
      long next = before == null ? 1 : before.version() + 1;
      if (e.sequence() != next) {
        continue;
      }
      if (instant != null && e.eventTime().isAfter(instant)) {
        stopped.add(e.accountId());
        continue;
      }
      balances.put(e.accountId(), fold(before, e));
    }
    return balances;
  }
}
