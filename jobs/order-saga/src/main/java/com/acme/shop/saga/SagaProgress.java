package com.acme.shop.saga;

import com.acme.shop.model.InventoryStatus;
import com.acme.shop.model.OrderEventType;
import com.acme.shop.model.PaymentStatus;
import com.acme.shop.model.SagaStatus;

/**
 * One order's saga as the job keeps it in keyed state: a Flink POJO of a few fields, so an open
 * saga costs tens of bytes. The order id is the state's key and is not repeated here.
 */
public class SagaProgress {
  /** Event time of the {@code OrderPlaced}, epoch ms. */
  public long placedAt;

  /** Event time the saga must finish by, epoch ms: the placement plus the timeout. */
  public long deadline;

  public SagaStatus status;
  public PaymentStatus payment;
  public InventoryStatus inventory;

  /** The event types this saga has taken, one bit per {@link OrderEventType#ordinal()}. */
  public int seenTypes;

  /** Event time the saga finished at, epoch ms; {@link Long#MIN_VALUE} while it is pending. */
  public long finishedAt = Long.MIN_VALUE;

  public SagaProgress() {}

  static SagaProgress placed(long placedAt, long timeoutMs) {
    SagaProgress saga = new SagaProgress();
    saga.placedAt = placedAt;
    saga.deadline = placedAt + timeoutMs;
    saga.status = SagaStatus.PENDING;
    saga.payment = PaymentStatus.PENDING;
    saga.inventory = InventoryStatus.PENDING;
    saga.seenTypes = bit(OrderEventType.ORDER_PLACED);
    return saga;
  }

  /** Records {@code type} as taken; false if the saga had already taken an event of that type. */
  boolean takeFirst(OrderEventType type) {
    if ((seenTypes & bit(type)) != 0) {
      return false;
    }
    seenTypes |= bit(type);
    return true;
  }

  boolean isPending() {
    return status == SagaStatus.PENDING;
  }

  private static int bit(OrderEventType type) {
    return 1 << type.ordinal();
  }
}
