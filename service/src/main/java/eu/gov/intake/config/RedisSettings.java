package eu.gov.intake.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Redis as deployed: one server ({@code standalone}), a master found through Sentinel ({@code sentinel}: the
 * URLs are the sentinels'), or a Redis Cluster ({@code cluster}: the URLs are some of its nodes). TLS when the
 * URLs say {@code rediss://}, checked against {@code INTAKE_REDIS_CA_FILE} (else the JDK's trust store) with
 * the host name verified; an ACL user and its password as settings of their own, so the password can come from a
 * file. {@code connections}: held open per event loop, commands pipelined over them. {@code clientShards}: over how many hash slots one client's keys spread (see {@code redis.ClientSlots}).
 */
public record RedisSettings(String mode, List<String> urls, Optional<String> masterName, Optional<String> user,
                            Optional<Secret> password, Optional<Path> caFile, int connections, int clientShards) {
  public static final List<String> MODES = List.of("standalone", "sentinel", "cluster");

  public boolean tls() { return !urls.isEmpty() && urls.getFirst().toLowerCase(Locale.ROOT).startsWith("rediss:"); }

  /** The setting as given (comma-separated). */
  public Optional<String> url() { return urls.isEmpty() ? Optional.empty() : Optional.of(String.join(",", urls)); }

  public RedisSettings withUrls(String commaSeparated) {
    return new RedisSettings(mode, List.of(commaSeparated.split(",")), masterName, user, password, caFile, connections, clientShards);
  }

  @Override public String toString() {
    return "redis=" + mode + " " + (urls.isEmpty() ? "(dev)" : urls.stream().map(RedisSettings::masked).toList())
        + user.map(u -> " user=" + u).orElse("") + (password.isPresent() ? " password=****" : "") + " shards=" + clientShards;
  }

  static String masked(String url) { return url.replaceAll("//([^:@/]*):[^@/]*@", "//$1:****@"); }

  static RedisSettings read(EnvReader in) {
    var mode = in.word("REDIS_MODE", "standalone", MODES);
    var urls = in.list("REDIS_URL");
    for (String url : urls) {
      try {
        var uri = new URI(url);
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        in.require(uri.getHost() != null && (scheme.equals("redis") || scheme.equals("rediss")), "REDIS_URL",
            "(not shown: it may hold a password) each URL must be redis:// or rediss:// with a host");
      } catch (java.net.URISyntaxException e) {
        in.require(false, "REDIS_URL", "(not shown: it may hold a password) each URL must be redis:// or rediss:// with a host");
      }
    }
    in.require(urls.stream().map(u -> u.toLowerCase(Locale.ROOT).startsWith("rediss:")).distinct().count() <= 1, "REDIS_URL",
        "mixes redis:// and rediss://: TLS is all or nothing");
    in.require(!mode.equals("standalone") || urls.size() <= 1, "REDIS_URL", "one URL in standalone mode (INTAKE_REDIS_MODE=cluster or sentinel for several)");
    var masterName = in.optional("REDIS_MASTER_NAME");
    in.require(!mode.equals("sentinel") || masterName.isPresent(), "REDIS_MASTER_NAME", "required with INTAKE_REDIS_MODE=sentinel");
    // one slot per client is enough where there is one server; in a cluster, spread even the biggest client
    int shards = in.integer("REDIS_CLIENT_SHARDS", mode.equals("cluster") ? 16 : 1, 1, 1024);
    return new RedisSettings(mode, urls, masterName, in.optional("REDIS_USER"), in.optional("REDIS_PASSWORD").map(Secret::new),
        in.readableFile("REDIS_CA_FILE"), in.integer("REDIS_CONNECTIONS", 2, 1, 64), shards);
  }
}
