import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one SQL query against the read-model database and prints the result as a table: what
 * scripts/query.sh runs. Arguments: JDBC URL, user, then a named query or the SQL itself. The
 * password comes from SHOP_READ_MODEL_PASSWORD.
 */
public class Query {
  static final Map<String, String> NAMED =
      Map.of(
          "top-categories",
          "SELECT category, orders, units, revenue FROM read_models.sales_by_category"
              + " ORDER BY revenue DESC LIMIT 5",
          "top-customers",
          "SELECT s.customer_id, o.customer_name, s.orders, s.total_spent, s.last_order_at"
              + " FROM read_models.customer_summary s LEFT JOIN (SELECT DISTINCT customer_id,"
              + " customer_name FROM read_models.orders_enriched) o USING (customer_id)"
              + " ORDER BY s.total_spent DESC LIMIT 5",
          "recent-orders",
          "SELECT order_id, status, total, customer_name, product_name, category, updated_at"
              + " FROM read_models.orders_enriched ORDER BY updated_at DESC LIMIT 5",
          "balances",
          "SELECT account_id, owner, balance, status, version, as_of FROM read_models.balances"
              + " ORDER BY as_of DESC LIMIT 5");

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: Query <jdbc-url> <user> <named query | SQL>");
      System.exit(2);
    }
    String sql = NAMED.getOrDefault(args[2], String.join(" ", List.of(args).subList(2, args.length)));
    String password = System.getenv().getOrDefault("SHOP_READ_MODEL_PASSWORD", "");
    try (Connection c = DriverManager.getConnection(args[0], args[1], password);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      print(r);
    }
  }

  static void print(ResultSet r) throws Exception {
    ResultSetMetaData meta = r.getMetaData();
    int n = meta.getColumnCount();
    List<String[]> rows = new ArrayList<>();
    String[] header = new String[n];
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      header[i] = meta.getColumnLabel(i + 1);
      width[i] = header[i].length();
    }
    while (r.next()) {
      String[] row = new String[n];
      for (int i = 0; i < n; i++) {
        Object v = r.getObject(i + 1);
        row[i] = v == null ? "" : v.toString();
        width[i] = Math.max(width[i], row[i].length());
      }
      rows.add(row);
    }
    line(header, width);
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < n; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
    }
    System.out.println(rule);
    rows.forEach(row -> line(row, width));
    System.out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
  }

  static void line(String[] cells, int[] width) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      b.append(i == 0 ? "" : " | ").append(String.format("%-" + width[i] + "s", cells[i]));
    }
    System.out.println(b.toString().stripTrailing());
  }
}
