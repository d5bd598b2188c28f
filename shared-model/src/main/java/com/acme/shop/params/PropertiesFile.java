package com.acme.shop.params;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A properties file named by an option, for settings that hold secrets (passwords, JAAS configs):
 * they belong in a file, not on the command line, where the web UI and the process list show them.
 * Errors name the option and the file, never a value.
 */
public final class PropertiesFile {
  private PropertiesFile() {}

  /** The properties of {@code file}, given as {@code --option}. */
  public static Properties load(String option, String file) {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
      props.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--" + option + ": cannot read " + file + ": " + e.getMessage(), e);
    }
    return props;
  }
}
