package com.acme.shop.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server from Maven (zonky's embedded binaries) with logical decoding, on a free
 * port, holding the shop database of {@code scripts/conf/cdc-schema.sql}. Closing it drops every
 * replication slot and stops the server.
 */
public final class Postgres implements AutoCloseable {
  private final EmbeddedPostgres server;

  private Postgres(EmbeddedPostgres server) {
    this.server = server;
  }

  /** Starts a server in {@code dataDir} with an empty shop database, owned by user shop. */
  public static Postgres start(Path dataDir) throws Exception {
    return start(dataDir, null);
  }

  /** Starts a server in {@code dataDir} with the shop database, then runs {@code schema} in it. */
  public static Postgres start(Path dataDir, Path schema) throws Exception {
    EmbeddedPostgres server =
        EmbeddedPostgres.builder()
            .setPort(LocalResources.freePort())
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(true)
            .setServerConfig("wal_level", "logical")
            .setServerConfig("max_replication_slots", "10")
            .setServerConfig("max_wal_senders", "10")
            // The embedded default is off, which delays decoded changes.
            .setServerConfig("synchronous_commit", "on")
            .start();
    Postgres pg = new Postgres(server);
    try (Connection c = pg.connect("postgres", "postgres");
        Statement s = c.createStatement()) {
      s.execute("CREATE ROLE shop LOGIN REPLICATION PASSWORD 'shop'");
      s.execute("CREATE DATABASE shop OWNER shop");
    }
    if (schema != null) {
      try (Connection c = pg.shop();
          Statement s = c.createStatement()) {
        s.execute(Files.readString(schema));
      }
    }
    return pg;
  }

  public int port() {
    return server.getPort();
  }

  /** The JDBC URL of the shop database. */
  public String shopUrl() {
    return "jdbc:postgresql://localhost:" + port() + "/shop";
  }

  /** A connection to the shop database as its owner, {@code shop}. */
  public Connection shop() throws SQLException {
    return connect("shop", "shop");
  }

  private Connection connect(String db, String user) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + port() + "/" + db, user, user);
  }

  /** The replication slots and whether a connector is reading each. */
  public java.util.Map<String, Boolean> slots() throws SQLException {
    java.util.Map<String, Boolean> slots = new java.util.TreeMap<>();
    try (Connection c = shop();
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT slot_name, active FROM pg_replication_slots")) {
      while (rs.next()) {
        slots.put(rs.getString(1), rs.getBoolean(2));
      }
    }
    return slots;
  }

  @Override
  public void close() throws IOException {
    try (Connection c = shop();
        Statement s = c.createStatement()) {
      s.execute(
          "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE NOT active");
    } catch (SQLException e) {
      // The server stops anyway, and its data directory is the test's own.
    }
    server.close();
  }
}
