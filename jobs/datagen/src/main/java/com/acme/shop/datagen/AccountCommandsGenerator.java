package com.acme.shop.datagen;

import com.acme.shop.model.AccountCommand;
import com.acme.shop.model.AccountCommandType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code bank.account-commands}: accounts opened, paid into, drawn on and sometimes closed after
 * being emptied. With probability fraudShare a command is one the ledger must reject, covering
 * every rejection reason: an overdraft ({@code INSUFFICIENT_FUNDS}), a zero amount ({@code
 * INVALID_AMOUNT}), a second open ({@code ACCOUNT_EXISTS}), a command to an unknown account ({@code
 * NO_SUCH_ACCOUNT}), closing a non-empty account ({@code NONZERO_BALANCE}) and, after a close, a
 * deposit to the closed account ({@code ACCOUNT_CLOSED}). With the same probability a command is
 * sent again with the same commandId, as a client retrying after a timeout does; the ledger applies
 * it once.
 */
public final class AccountCommandsGenerator extends TopicGenerator {
  static final int BLOCK = 64;
  static final List<String> OWNERS =
      List.of("Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov");

  public AccountCommandsGenerator(String topic, GeneratorSettings settings) {
    super(topic, settings, BLOCK);
  }

  @Override
  protected List<Journey> journeys(long block, SplittableRandom random) {
    int[] accounts = {0};
    int[] n = {0};
    return fill(BLOCK, List.of(), () -> account(block, accounts[0]++, n, random));
  }

  private Journey account(long block, int a, int[] n, SplittableRandom random) {
    String account = Pick.id("acc", block, a);
    Journey j = new Journey();
    BigDecimal balance = BigDecimal.ZERO;
    j.add(
        command(
            block, n, account, AccountCommandType.OPEN_ACCOUNT, null, Pick.one(OWNERS, random)));
    int operations = 2 + random.nextInt(6);
    for (int i = 0; i < operations; i++) {
      if (Pick.chance(settings().fraudShare(), random)) {
        j.add(invalid(block, n, account, balance, random));
        continue;
      }
      Journey.Step step;
      if (balance.signum() == 0 || Pick.chance(0.55, random)) {
        BigDecimal amount = Pick.amount(10, 1000, random);
        balance = balance.add(amount);
        step = command(block, n, account, AccountCommandType.DEPOSIT, amount, null);
      } else {
        BigDecimal amount = partOf(balance, random);
        balance = balance.subtract(amount);
        step = command(block, n, account, AccountCommandType.WITHDRAW, amount, null);
      }
      j.add(step);
      if (Pick.chance(settings().fraudShare(), random)) {
        j.add(step); // a retry: the same command, same commandId, sent again a little later
      }
    }
    if (Pick.chance(0.2, random)) {
      if (balance.signum() > 0) {
        j.add(command(block, n, account, AccountCommandType.WITHDRAW, balance, null));
      }
      j.add(command(block, n, account, AccountCommandType.CLOSE_ACCOUNT, null, null));
      if (Pick.chance(settings().fraudShare(), random)) {
        j.add(
            command(block, n, account, AccountCommandType.DEPOSIT, new BigDecimal("25.00"), null));
      }
    }
    return j;
  }

  /** Between 1 % and all of {@code balance}, at least 0.01, in BigDecimal arithmetic only. */
  private static BigDecimal partOf(BigDecimal balance, SplittableRandom random) {
    BigDecimal share = BigDecimal.valueOf(1 + random.nextInt(100)).movePointLeft(2);
    return balance
        .multiply(share)
        .setScale(2, RoundingMode.DOWN)
        .max(new BigDecimal("0.01"))
        .min(balance);
  }

  private Journey.Step invalid(
      long block, int[] n, String account, BigDecimal balance, SplittableRandom random) {
    return switch (random.nextInt(5)) {
      case 0 ->
          command(
              block,
              n,
              account,
              AccountCommandType.WITHDRAW,
              balance.add(new BigDecimal("100.00")),
              null);
      case 1 -> command(block, n, account, AccountCommandType.DEPOSIT, BigDecimal.ZERO, null);
      case 2 -> command(block, n, account, AccountCommandType.OPEN_ACCOUNT, null, "Mallory");
      case 3 ->
          command(
              block,
              n,
              "acc-unknown-" + block,
              AccountCommandType.DEPOSIT,
              new BigDecimal("10.00"),
              null);
      default ->
          balance.signum() > 0
              ? command(block, n, account, AccountCommandType.CLOSE_ACCOUNT, null, null)
              : command(block, n, account, AccountCommandType.WITHDRAW, BigDecimal.ZERO, null);
    };
  }

  private static Journey.Step command(
      long block,
      int[] n,
      String account,
      AccountCommandType type,
      BigDecimal amount,
      String owner) {
    String commandId = Pick.id("cmd", block, n[0]++);
    return t ->
        new Journey.Generated(
            account, new AccountCommand(commandId, account, type, amount, owner, t));
  }

  @Override
  protected String corrupt(ObjectNode valid, SplittableRandom random) {
    return switch (random.nextInt(6)) {
      case 0 -> valid.put("type", "Transfer").toString();
      // Negative or non-numeric money breaks the schema; a zero amount is the ledger's to refuse.
      case 1 -> valid.put("amount", "-12.50").toString();
      default -> common(valid, random, "accountId");
    };
  }
}
