/*
 * The steps of scripts/cdc.sh that need JDBC or JSON, in one JVM each (Java 17 single-file source,
 * on the class path of $SHOP_LIB_DIR/connect/*, which holds the PostgreSQL driver and Jackson):
 *
 *   CdcStack.java setup <pg-port> <schema.sql>
 *       as the superuser postgres: create the role shop (LOGIN REPLICATION, password shop) and the
 *       database shop when missing; then, as shop, run the schema file unless the tables exist.
 *   CdcStack.java connectors <connect-port> <pg-port> <timeout-seconds> <connector.properties>...
 *       send each connector file to the worker's REST API (PUT /connectors/<name>/config), then
 *       wait until every connector and its task are RUNNING and every replication slot of the
 *       connectors is active. A connector or task that FAILED ends the wait at once, with its trace.
 *   CdcStack.java reset-connectors <connect-port> <timeout-seconds> <name>...
 *       stop each connector and delete its offsets (KIP-875), so that the next start, whose
 *       replication slots are new, begins afresh (a snapshot of the tables) instead of asking a new
 *       slot for a position it never had.
 *   CdcStack.java drop-slots <pg-port> <slot>...
 *       drop the replication slots (waiting up to 30 s for their readers to let go).
 *   CdcStack.java status <connect-port> <pg-port> <name>...
 *       print each connector's state and each slot's.
 *
 * Exit codes: 0 done, 1 failed (the reason on stderr), 2 timed out.
 */

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

public class CdcStack {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    try {
      switch (args.length == 0 ? "" : args[0]) {
        case "setup" -> setup(Integer.parseInt(args[1]), Path.of(args[2]));
        case "connectors" -> connectors(args);
        case "reset-connectors" -> resetConnectors(args);
        case "drop-slots" -> dropSlots(Integer.parseInt(args[1]), List.of(args).subList(2, args.length));
        case "status" -> status(args);
        default -> fail("usage: CdcStack.java setup|connectors|drop-slots|status ...");
      }
    } catch (SQLException e) {
      fail("PostgreSQL: " + e.getMessage());
    }
  }

  static void fail(String message) {
    System.err.println(message);
    System.exit(1);
  }

  static Connection connect(int port, String db, String user) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/" + db, user, user);
  }

  static void setup(int port, Path schema) throws Exception {
    try (Connection c = connect(port, "postgres", "postgres");
        Statement s = c.createStatement()) {
      if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = 'shop'")) {
        s.execute("CREATE ROLE shop LOGIN REPLICATION PASSWORD 'shop'");
      }
      if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = 'shop'")) {
        s.execute("CREATE DATABASE shop OWNER shop");
      }
    }
    try (Connection c = connect(port, "shop", "shop");
        Statement s = c.createStatement()) {
      if (exists(c, "SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'orders'")) {
        System.out.println("the shop tables exist; schema left as it is");
        return;
      }
      s.execute(Files.readString(schema));
      System.out.println("created the shop tables, views and seed rows from " + schema.getFileName());
    }
  }

  static boolean exists(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      return r.next();
    }
  }

  static void connectors(String[] args) throws Exception {
    int connectPort = Integer.parseInt(args[1]);
    int pgPort = Integer.parseInt(args[2]);
    long deadline = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
    Map<String, String> slots = new LinkedHashMap<>(); // connector -> slot
    for (String file : List.of(args).subList(4, args.length)) {
      Properties props = new Properties();
      try (Reader reader = Files.newBufferedReader(Path.of(file))) {
        props.load(reader);
      }
      Map<String, String> config = new TreeMap<>();
      props.stringPropertyNames().forEach(k -> config.put(k, props.getProperty(k)));
      String name = config.get("name");
      slots.put(name, config.get("slot.name"));
      // Until the worker has joined its group it answers 404, 409 or 503: not yet.
      while (true) {
        HttpResponse<String> r = send(connectPort, "PUT", "/connectors/" + name + "/config", JSON.writeValueAsString(config));
        if (r != null && r.statusCode() < 300) {
          break;
        }
        if (r != null && r.statusCode() != 404 && r.statusCode() != 409 && r.statusCode() != 503) {
          fail("the worker refused connector " + name + " (" + file + "): " + r.statusCode() + " " + r.body());
        }
        waitOrTimeOut(deadline, "the Connect REST API on port " + connectPort);
      }
      // A connector that an earlier stop left STOPPED runs again.
      HttpResponse<String> resumed = send(connectPort, "PUT", "/connectors/" + name + "/resume", "");
      if (resumed == null || resumed.statusCode() >= 300) {
        fail("could not resume connector " + name + ": " + (resumed == null ? "no answer" : resumed.body()));
      }
    }
    for (String name : slots.keySet()) {
      while (true) {
        String state = state(connectPort, name);
        if (state.contains("FAILED")) {
          fail("connector " + name + " failed: " + state);
        }
        if (state.equals("RUNNING [RUNNING]")) {
          break;
        }
        waitOrTimeOut(deadline, "connector " + name + " to run (now: " + state + ")");
      }
    }
    while (true) {
      Map<String, Boolean> active = slotStates(pgPort);
      if (slots.values().stream().allMatch(s -> Boolean.TRUE.equals(active.get(s)))) {
        break;
      }
      waitOrTimeOut(deadline, "the replication slots " + slots.values() + " to be active (now: " + active + ")");
    }
    System.out.println("connectors RUNNING " + slots.keySet() + ", replication slots active " + slots.values());
  }

  static void resetConnectors(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    long deadline = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
    for (String name : List.of(args).subList(3, args.length)) {
      HttpResponse<String> stop = send(port, "PUT", "/connectors/" + name + "/stop", "");
      if (stop == null || stop.statusCode() == 404) {
        continue; // no such connector: nothing to reset
      }
      while (!state(port, name).startsWith("STOPPED")) {
        waitOrTimeOut(deadline, "connector " + name + " to stop (now: " + state(port, name) + ")");
      }
      while (true) {
        HttpResponse<String> reset = send(port, "DELETE", "/connectors/" + name + "/offsets", null);
        if (reset != null && reset.statusCode() < 300) {
          break;
        }
        waitOrTimeOut(deadline, "the offsets of " + name + " to be deleted (" + (reset == null ? "no answer" : reset.statusCode() + " " + reset.body()) + ")");
      }
      System.out.println("stopped connector " + name + " and deleted its offsets");
    }
  }

  static void waitOrTimeOut(long deadline, String what) throws InterruptedException {
    if (System.nanoTime() > deadline) {
      System.err.println("timed out waiting for " + what);
      System.exit(2);
    }
    Thread.sleep(250);
  }

  static HttpResponse<String> send(int port, String method, String path, String body) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
      b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody()) : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      return null; // not listening yet
    }
  }

  /** {@code RUNNING [RUNNING]}, {@code FAILED [...]: trace}, or {@code UNKNOWN}. */
  static String state(int port, String name) throws Exception {
    HttpResponse<String> r = send(port, "GET", "/connectors/" + name + "/status", null);
    if (r == null || r.statusCode() != 200) {
      return "UNKNOWN";
    }
    JsonNode status = JSON.readTree(r.body());
    StringBuilder s = new StringBuilder(status.path("connector").path("state").asText());
    List<String> tasks = new ArrayList<>();
    String trace = status.path("connector").path("trace").asText("");
    for (JsonNode task : status.path("tasks")) {
      tasks.add(task.path("state").asText());
      if (task.has("trace")) {
        trace = task.get("trace").asText();
      }
    }
    s.append(" ").append(tasks.toString().replace(", ", ","));
    if (!trace.isEmpty()) {
      s.append(": ").append(trace.lines().limit(3).reduce((a, b) -> a + " | " + b).orElse(""));
    }
    return s.toString();
  }

  static Map<String, Boolean> slotStates(int port) throws SQLException {
    Map<String, Boolean> slots = new TreeMap<>();
    try (Connection c = connect(port, "shop", "shop");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT slot_name, active FROM pg_replication_slots")) {
      while (r.next()) {
        slots.put(r.getString(1), r.getBoolean(2));
      }
    }
    return slots;
  }

  static void dropSlots(int port, List<String> names) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    try (Connection c = connect(port, "shop", "shop");
        PreparedStatement drop = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
      for (String name : names) {
        while (true) {
          Boolean active = slotStates(port).get(name);
          if (active == null) {
            break; // not there (any more)
          }
          if (!active) {
            drop.setString(1, name);
            drop.execute();
            System.out.println("dropped the replication slot " + name);
            break;
          }
          waitOrTimeOut(deadline, "the slot " + name + " to be released");
        }
      }
    }
  }

  static void status(String[] args) throws Exception {
    int connectPort = Integer.parseInt(args[1]);
    int pgPort = Integer.parseInt(args[2]);
    for (String name : List.of(args).subList(3, args.length)) {
      System.out.println("  connector " + name + ": " + state(connectPort, name));
    }
    slotStates(pgPort).forEach((slot, active) -> System.out.println("  slot " + slot + ": " + (active ? "active" : "inactive")));
  }
}
