package com.acme.shop.cdc;

import com.acme.shop.model.CustomerRow;
import com.acme.shop.model.OrderRow;
import com.acme.shop.model.ProductRow;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** The three tables the job mirrors, with the Flink types of what flows out of each. */
final class Tables {
  private Tables() {}

  /**
   * Whether two versions of a row are the same for every read model: the columns the joins use. A
   * change of any other column (a price, {@code updated_at}) need not reach the row's orders.
   */
  @FunctionalInterface
  interface SameForOrders<R> extends java.io.Serializable {
    boolean test(R before, R after);
  }

  /** One table: its name (which operator uids start with), row type and primary key. */
  record Table<R>(
      String name,
      TypeInformation<R> rowType,
      CurrentRows.IdOf<R> idOf,
      SameForOrders<R> sameForOrders,
      TypeInformation<RowChange<R>> changeType,
      TypeInformation<FanOutInput<R>> fanOutInputType,
      TypeInformation<RowFor<R>> rowForType)
      implements java.io.Serializable {}

  static final Table<CustomerRow> CUSTOMERS =
      new Table<>(
          "customers",
          TypeInformation.of(CustomerRow.class),
          CustomerRow::id,
          // What orders-enriched shows of a customer.
          (a, b) ->
              Objects.equals(a.fullName(), b.fullName())
                  && Objects.equals(a.country(), b.country())
                  && Objects.equals(a.tier(), b.tier()),
          TypeInformation.of(new TypeHint<RowChange<CustomerRow>>() {}),
          TypeInformation.of(new TypeHint<FanOutInput<CustomerRow>>() {}),
          TypeInformation.of(new TypeHint<RowFor<CustomerRow>>() {}));

  static final Table<ProductRow> PRODUCTS =
      new Table<>(
          "products",
          TypeInformation.of(ProductRow.class),
          ProductRow::id,
          // What orders-enriched and sales-by-category use of a product.
          (a, b) ->
              Objects.equals(a.name(), b.name()) && Objects.equals(a.category(), b.category()),
          TypeInformation.of(new TypeHint<RowChange<ProductRow>>() {}),
          TypeInformation.of(new TypeHint<FanOutInput<ProductRow>>() {}),
          TypeInformation.of(new TypeHint<RowFor<ProductRow>>() {}));

  static final Table<OrderRow> ORDERS =
      new Table<>(
          "orders",
          TypeInformation.of(OrderRow.class),
          OrderRow::id,
          Objects::equals,
          TypeInformation.of(new TypeHint<RowChange<OrderRow>>() {}),
          TypeInformation.of(new TypeHint<FanOutInput<OrderRow>>() {}),
          TypeInformation.of(new TypeHint<RowFor<OrderRow>>() {}));

  static final TypeInformation<Membership> MEMBERSHIP = TypeInformation.of(Membership.class);
  static final TypeInformation<JoinInput> JOIN_INPUT = TypeInformation.of(JoinInput.class);
  static final TypeInformation<Delta> DELTA = TypeInformation.of(Delta.class);
  static final TypeInformation<Contribution> CONTRIBUTION = TypeInformation.of(Contribution.class);
}
