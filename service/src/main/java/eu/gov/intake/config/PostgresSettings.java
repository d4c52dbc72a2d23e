package eu.gov.intake.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * PostgreSQL as Intake reaches it: {@code INTAKE_PG_URL} read here into its parts (so that no library's parser
 * ever echoes the URL, password and all, in an error), the password from the URL or from
 * {@code INTAKE_PG_PASSWORD}/{@code _FILE}, and TLS: {@code sslmode} as libpq has it, with the CA file that
 * {@code verify-ca} and {@code verify-full} check the server's certificate against.
 */
public record PostgresSettings(Optional<Endpoint> endpoint, String sslMode, Optional<Path> caFile, int poolSize, Pools pools) {
  /**
   * How the service's connections are shared out. The spool's appends and the relay have {@code spoolSize}
   * connections of their own, which no flood of API reads can take; each pool lets at most {@code waiting}
   * requests wait for a connection (past it a request fails at once, 503); and a statement running longer than
   * {@code statementTimeout} is cancelled by the server, so a stuck one cannot hold its connection for ever.
   */
  public record Pools(int spoolSize, int waiting, java.time.Duration statementTimeout) {}

  public static final List<String> SSL_MODES = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  /** Where the database is and who Intake is there; {@code url} is the setting as given (tests connect with it). */
  public record Endpoint(String url, String host, int port, String database, String user, Optional<Secret> password) {
    @Override public String toString() { return "postgresql://" + user + "@" + host + ":" + port + "/" + database; }
  }

  public Optional<String> url() { return endpoint.map(Endpoint::url); }

  public PostgresSettings withUrl(String url) {
    var in = new EnvReader(java.util.Map.of("INTAKE_PG_URL", url), "INTAKE_");
    // a password of its own (INTAKE_PG_PASSWORD or its _FILE) still wins over the URL's, as in read()
    var parsed = parse(in, endpoint.flatMap(Endpoint::password));
    in.failIfAnyProblem();
    return new PostgresSettings(parsed.endpoint, parsed.sslMode.orElse(sslMode), caFile, poolSize, pools);
  }

  @Override public String toString() {
    return "postgres=" + endpoint.map(Endpoint::toString).orElse("(dev)") + " sslmode=" + sslMode + caFile.map(f -> " ca=" + f).orElse("");
  }

  private record Parsed(Optional<Endpoint> endpoint, Optional<String> sslMode) {}

  static PostgresSettings read(EnvReader in, int defaultPoolSize) {
    var password = in.optional("PG_PASSWORD").map(Secret::new);
    var parsed = parse(in, password);
    var mode = in.optional("PG_SSLMODE").map(raw -> in.word("PG_SSLMODE", "prefer", SSL_MODES)).or(() -> parsed.sslMode).orElse("prefer");
    var ca = in.readableFile("PG_CA_FILE");
    in.require(ca.isPresent() || !mode.startsWith("verify"), "PG_CA_FILE",
        "required with sslmode " + mode + " (the CA that signed the server's certificate, PEM)");
    return new PostgresSettings(parsed.endpoint, mode, ca, in.integer("PG_POOL_SIZE", defaultPoolSize, 1, 200),
        new Pools(in.integer("PG_SPOOL_POOL_SIZE", 4, 1, 200), in.integer("PG_POOL_WAITING", 64, 1, 100_000),
            in.duration("PG_STATEMENT_TIMEOUT", java.time.Duration.ofSeconds(5))));
  }

  private static Parsed parse(EnvReader in, Optional<Secret> passwordSetting) {
    var raw = in.optional("PG_URL");
    if (raw.isEmpty()) return new Parsed(Optional.empty(), Optional.empty());
    String expected = "a URL postgresql://user[:password]@host[:port]/database[?sslmode=...]";
    try {
      var uri = new URI(raw.get());
      String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
      if (!List.of("postgresql", "postgres").contains(scheme) || uri.getHost() == null || uri.getRawUserInfo() == null) {
        return notShown(in, expected);
      }
      String[] userInfo = uri.getRawUserInfo().split(":", 2);
      var password = passwordSetting.or(() -> userInfo.length > 1 ? Optional.of(new Secret(decode(userInfo[1]))) : Optional.empty());
      String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
      Optional<String> sslMode = Optional.empty();
      if (uri.getRawQuery() != null) {
        for (String param : uri.getRawQuery().split("&")) {
          String[] kv = param.split("=", 2);
          if (kv[0].equals("sslmode") && kv.length == 2 && SSL_MODES.contains(decode(kv[1]))) {
            sslMode = Optional.of(decode(kv[1]));
          } else {
            // the parameter's name is no secret; its value could be
            in.require(false, "PG_URL", "the parameter '" + kv[0] + "' is not read here (sslmode=" + String.join("|", SSL_MODES)
                + "; the rest has INTAKE_PG_* settings)");
          }
        }
      }
      var endpoint = new Endpoint(raw.get(), uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(),
          path.isEmpty() ? decode(userInfo[0]) : decode(path), decode(userInfo[0]), password);
      return new Parsed(Optional.of(endpoint), sslMode);
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      return notShown(in, expected);
    }
  }

  private static Parsed notShown(EnvReader in, String expected) {
    in.require(false, "PG_URL", "(not shown: it may hold a password) is not " + expected);
    return new Parsed(Optional.empty(), Optional.empty());
  }

  private static String decode(String s) { return URLDecoder.decode(s, StandardCharsets.UTF_8); }
}
