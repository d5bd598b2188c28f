package com.acme.shop.cdc;

/**
 * One applied change of a table row, as {@link CurrentRows} derives it from its own state: {@code
 * before} is the row the job held (null when it held none), {@code after} the row now (null once
 * deleted). Never built from Debezium's {@code before}, which a redelivered or out-of-order change
 * would make wrong.
 */
public record RowChange<R>(long id, R before, R after) {}
