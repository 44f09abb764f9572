package io.sluice.storage.jdbc.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;

/**
 * Named SQL statements, one {@code .sql} file per operation, loaded with Jdbi's {@link
 * ClasspathSqlLocator}. A statement is looked up first under {@code
 * io/sluice/storage/jdbc/internal/<DialectClass>/<name>.sql}, then under {@code .../common/}.
 *
 * <p>The only text ever substituted into SQL is the configured schema, written {@code ${schema}} in
 * the files. It is checked against {@link #SCHEMA} before this class is built, and quoted as the
 * dialect quotes identifiers ({@link Dialect#quote}); topic and group names are always bound
 * parameters.
 */
public final class Statements {
  /** What a schema name may look like: a lowercase SQL identifier, at most 63 characters. */
  public static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private static final String ROOT = "io/sluice/storage/jdbc/internal/";

  private final Dialect dialect;
  private final String quotedSchema;
  private final ClasspathSqlLocator locator = ClasspathSqlLocator.removingComments();
  private final Map<String, String> cache = new ConcurrentHashMap<>();

  /**
   * Statements for a dialect and an already validated schema.
   *
   * @throws IllegalArgumentException if the schema does not match {@link #SCHEMA}
   */
  public Statements(Dialect dialect, String schema) {
    if (!SCHEMA.matcher(schema).matches()) {
      throw new IllegalArgumentException("schema not validated: " + schema);
    }
    this.dialect = dialect;
    this.quotedSchema = dialect.quote(schema);
  }

  /** The dialect these statements are written for. */
  public Dialect dialect() {
    return dialect;
  }

  /** The statement with this name, with the schema filled in. */
  public String get(String name) {
    return cache.computeIfAbsent(name, this::load);
  }

  private String load(String name) {
    ClassLoader loader = Statements.class.getClassLoader();
    String dir = dialect.getClass().getSimpleName();
    String text = resource(loader, ROOT + dir + "/" + name + ".sql");
    if (text == null) {
      text = resource(loader, ROOT + "common/" + name + ".sql");
    }
    if (text == null) {
      throw new IllegalStateException("no SQL statement named " + name + " for " + dir);
    }
    return text.replace("${schema}", quotedSchema).strip();
  }

  private String resource(ClassLoader loader, String path) {
    if (loader.getResource(path) == null) {
      return null;
    }
    return locator.getResource(loader, path);
  }
}
