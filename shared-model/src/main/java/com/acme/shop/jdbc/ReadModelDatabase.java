package com.acme.shop.jdbc;

import com.acme.shop.params.JobParameters;
import com.acme.shop.params.Param;
import com.acme.shop.params.PropertiesFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Where the jobs' read models also go when {@code --read-model-jdbc-url} is given: tables in the
 * schema {@code read_models} of a PostgreSQL database, created by {@code read-models.sql}.
 *
 * <p>The password never comes from program arguments (the web UI shows those): it is read from the
 * environment variable {@value #PASSWORD_ENV}, or from the {@code password} entry of the properties
 * file {@code --read-model-jdbc-properties}, which may hold other driver properties too (e.g.
 * {@code ssl=true}).
 */
public final class ReadModelDatabase {
  public static final String SCHEMA = "read_models";
  public static final String PASSWORD_ENV = "SHOP_READ_MODEL_PASSWORD";

  public static final Param<String> URL =
      Param.string(
          "read-model-jdbc-url",
          null,
          "also upsert the read models into tables of the schema read_models at this PostgreSQL"
              + " JDBC URL, e.g. jdbc:postgresql://localhost:5433/shop (password from $"
              + PASSWORD_ENV
              + " or --read-model-jdbc-properties)");

  public static final Param<String> USER =
      Param.string("read-model-jdbc-user", "shop", "the database user for --read-model-jdbc-url");

  public static final Param<String> PROPERTIES =
      Param.string(
          "read-model-jdbc-properties",
          null,
          "a properties file of JDBC driver properties for --read-model-jdbc-url, e.g."
              + " password=...; never put the password on the command line");

  public static final List<Param<?>> PARAMS = List.of(URL, USER, PROPERTIES);

  private static final Pattern TABLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private ReadModelDatabase() {}

  public static boolean enabled(JobParameters params) {
    return params.get(URL) != null;
  }

  /** The driver properties: user, the properties file, and the password from the environment. */
  static Properties driverProperties(JobParameters params) {
    Properties props = new Properties();
    props.setProperty("user", params.get(USER));
    String file = params.get(PROPERTIES);
    if (file != null) {
      props.putAll(PropertiesFile.load(PROPERTIES.name(), file));
    }
    String password = System.getenv(PASSWORD_ENV);
    if (password != null && !props.containsKey("password")) {
      props.setProperty("password", password);
    }
    return props;
  }

  /** A connection to the read-model database. */
  public static Connection connect(JobParameters params) throws SQLException {
    return DriverManager.getConnection(params.get(URL), driverProperties(params));
  }

  /** {@code name} if it is a plain lower-case SQL identifier, so it can go into a statement. */
  public static String checkedTableName(String name) {
    if (!TABLE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "'" + name + "' is not a table name: lower-case letters, digits and _, at most 63");
    }
    return name;
  }

  /**
   * Creates the schema and the tables if they are missing ({@code read-models.sql}), then every
   * table of {@code copies} as a copy of the structure of the named table ({@code name ->
   * template}). Jobs starting at once take turns: the migration holds an advisory lock.
   */
  public static void migrate(JobParameters params, java.util.Map<String, String> copies) {
    try (Connection c = connect(params)) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(hashtext('" + SCHEMA + " migration'))");
        s.execute(migrationScript());
        for (var copy : copies.entrySet()) {
          s.execute(
              "CREATE TABLE IF NOT EXISTS "
                  + SCHEMA
                  + "."
                  + checkedTableName(copy.getKey())
                  + " (LIKE "
                  + SCHEMA
                  + "."
                  + checkedTableName(copy.getValue())
                  + " INCLUDING ALL)");
        }
      }
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not create the read-model tables at " + params.get(URL) + ": " + e.getMessage(),
          e);
    }
  }

  /** The statements of {@code read-models.sql}. */
  public static String migrationScript() {
    try (InputStream in = ReadModelDatabase.class.getResourceAsStream("/read-models.sql")) {
      if (in == null) {
        throw new IllegalStateException("read-models.sql is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read read-models.sql", e);
    }
  }
}
