package com.acme.shop.cdc;

import com.acme.shop.model.CustomerRow;
import com.acme.shop.model.OrderRow;
import com.acme.shop.model.ProductRow;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** The three tables the job mirrors, with the Flink types of what flows out of each. */
final class Tables {
  private Tables() {}

  /** One table: its name (which operator uids start with), row type and primary key. */
  record Table<R>(
      String name,
      TypeInformation<R> rowType,
      CurrentRows.IdOf<R> idOf,
      TypeInformation<RowChange<R>> changeType,
      TypeInformation<FanOutInput<R>> fanOutInputType,
      TypeInformation<RowFor<R>> rowForType)
      implements java.io.Serializable {}

  static final Table<CustomerRow> CUSTOMERS =
      new Table<>(
          "customers",
          TypeInformation.of(CustomerRow.class),
          CustomerRow::id,
          TypeInformation.of(new TypeHint<RowChange<CustomerRow>>() {}),
          TypeInformation.of(new TypeHint<FanOutInput<CustomerRow>>() {}),
          TypeInformation.of(new TypeHint<RowFor<CustomerRow>>() {}));

  static final Table<ProductRow> PRODUCTS =
      new Table<>(
          "products",
          TypeInformation.of(ProductRow.class),
          ProductRow::id,
          TypeInformation.of(new TypeHint<RowChange<ProductRow>>() {}),
          TypeInformation.of(new TypeHint<FanOutInput<ProductRow>>() {}),
          TypeInformation.of(new TypeHint<RowFor<ProductRow>>() {}));

  static final Table<OrderRow> ORDERS =
      new Table<>(
          "orders",
          TypeInformation.of(OrderRow.class),
          OrderRow::id,
          TypeInformation.of(new TypeHint<RowChange<OrderRow>>() {}),
          TypeInformation.of(new TypeHint<FanOutInput<OrderRow>>() {}),
          TypeInformation.of(new TypeHint<RowFor<OrderRow>>() {}));

  static final TypeInformation<Membership> MEMBERSHIP = TypeInformation.of(Membership.class);
  static final TypeInformation<JoinInput> JOIN_INPUT = TypeInformation.of(JoinInput.class);
  static final TypeInformation<Delta> DELTA = TypeInformation.of(Delta.class);
  static final TypeInformation<Contribution> CONTRIBUTION = TypeInformation.of(Contribution.class);
}
