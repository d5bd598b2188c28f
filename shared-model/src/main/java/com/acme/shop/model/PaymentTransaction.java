package com.acme.shop.model;

import static com.acme.shop.model.Require.nonNegativeMoney;
import static com.acme.shop.model.Require.present;
import static com.acme.shop.model.Require.text;

import java.math.BigDecimal;
import java.time.Instant;

/** A card transaction ({@code payments.transactions}, keyed by cardId). */
public record PaymentTransaction(
    String txnId,
    String cardId,
    String accountId,
    BigDecimal amount,
    String currency,
    String merchantId,
    String merchantCategory,
    String country,
    Channel channel,
    TransactionStatus status,
    Instant eventTime)
    implements EventTimed {
  public PaymentTransaction {
    text(txnId, "txnId");
    text(cardId, "cardId");
    present(accountId, "accountId");
    amount = nonNegativeMoney(present(amount, "amount"), "amount");
    present(currency, "currency");
    present(merchantId, "merchantId");
    present(merchantCategory, "merchantCategory");
    present(country, "country");
    present(channel, "channel");
    present(status, "status");
    present(eventTime, "eventTime");
  }
}
