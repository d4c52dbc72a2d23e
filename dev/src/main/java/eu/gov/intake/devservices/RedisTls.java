package eu.gov.intake.devservices;

import java.nio.file.Path;

/**
 * A Redis that speaks TLS only, with an ACL user {@code intake} and the default user switched off: what a managed
 * Redis asks of its clients.
 */
public final class RedisTls implements AutoCloseable {
  public static final String USER = "intake";
  private final RedisNode node;
  private final String password;
  private final Certificates certificates;

  private RedisTls(RedisNode node, String password, Certificates certificates) {
    this.node = node;
    this.password = password;
    this.certificates = certificates;
  }

  public static RedisTls start(Path dir, Certificates certificates) {
    String password = Kept.secret(dir, "acl.password");
    int port = Kept.port(dir, "port");
    var node = new RedisNode("redis-tls", dir, port, """
        port 0
        tls-port %d
        bind 127.0.0.1
        tls-cert-file %s
        tls-key-file %s
        tls-ca-cert-file %s
        tls-auth-clients no
        appendonly yes
        user default off
        user %s on >%s ~* &* +@all
        """.formatted(port, certificates.serverPem(), certificates.serverKey(), certificates.caPem(), USER, password), false);
    node.start();
    return new RedisTls(node, password, certificates);
  }

  public String url() { return "rediss://127.0.0.1:" + node.port(); }

  public String password() { return password; }

  public Certificates certificates() { return certificates; }

  public RedisNode node() { return node; }

  @Override public void close() { node.stop(); }
}
