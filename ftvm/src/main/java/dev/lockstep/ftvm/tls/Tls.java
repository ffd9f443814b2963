package dev.lockstep.ftvm.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * One node's TLS identity: its key and certificate and the CA it trusts, loaded once from PEM files (an
 * unencrypted PKCS#8 key, an X.509 certificate chain, the CA's certificates).
 *
 * <p>Contract: {@link #load} checks everything it can before a socket opens and fails with one line
 * naming the file; the handlers it makes verify the peer's chain against the CA only (never the JDK's
 * default trust store), and a client verifies that the server's certificate names the address it dialled.
 */
public final class Tls {
  /**
   * BoringSSL through netty-tcnative where it loads (it comes with ZooKeeper's client), the JDK's engine
   * elsewhere. TRICKY: the JDK's AES-GCM is fast only once C2 has compiled it; a fresh node serving a
   * few thousand small requests a second ran about 8 times slower than without TLS for its first
   * hundred thousand messages (bench ft, tls phase), BoringSSL runs at full speed from the start.
   */
  public static final SslProvider PROVIDER = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;

  /** Protocols offered: TLS 1.3 only, both ends are ours. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3");

  private final SslContext logServer;
  private final SslContext logClient;
  private final SslContext clientPort;
  private final Path ca;

  private Tls(SslContext logServer, SslContext logClient, SslContext clientPort, Path ca) {
    this.logServer = logServer;
    this.logClient = logClient;
    this.clientPort = clientPort;
    this.ca = ca;
  }

  /**
   * Loads a node's TLS identity.
   *
   * @throws IllegalArgumentException with one line naming the file when one is missing, unreadable, not
   *     PEM, a key readable by every user, or the key does not match the certificate
   */
  public static Tls load(Path cert, Path key, Path ca) {
    readable(cert, "--tls-cert");
    readable(key, "--tls-key");
    readable(ca, "--tls-ca");
    refuseWorldReadable(key);
    List<X509Certificate> cas = certificates(ca, "--tls-ca");
    certificates(cert, "--tls-cert");
    try {
      SslContext server = SslContextBuilder.forServer(cert.toFile(), key.toFile())
          .sslProvider(PROVIDER).protocols(PROTOCOLS)
          .trustManager(cas.toArray(X509Certificate[]::new)).clientAuth(ClientAuth.REQUIRE).build();
      SslContext client = SslContextBuilder.forClient().keyManager(cert.toFile(), key.toFile())
          .sslProvider(PROVIDER).protocols(PROTOCOLS)
          .trustManager(cas.toArray(X509Certificate[]::new)).endpointIdentificationAlgorithm("HTTPS").build();
      SslContext forClients = SslContextBuilder.forServer(cert.toFile(), key.toFile())
          .sslProvider(PROVIDER).protocols(PROTOCOLS).clientAuth(ClientAuth.NONE).build();
      return new Tls(server, client, forClients, ca);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("--tls-key " + key + " / --tls-cert " + cert + ": " + oneLine(e));
    }
  }

  /** The CA file this identity trusts. */
  public Path ca() {
    return ca;
  }

  /** A handler for a connection accepted on the log port: the backup must present a certificate of the CA. */
  public SslHandler logServerHandler(ByteBufAllocator alloc, Duration handshakeTimeout) {
    SslHandler h = logServer.newHandler(alloc);
    h.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
    return h;
  }

  /** A handler for the backup's connection to {@code host:port}: it presents its certificate and checks the primary's. */
  public SslHandler logClientHandler(ByteBufAllocator alloc, String host, int port, Duration handshakeTimeout) {
    SslHandler h = logClient.newHandler(alloc, host, port);
    h.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
    return h;
  }

  /** A handler for a connection accepted on the client port (clients hold no certificate). */
  public SslHandler clientPortHandler(ByteBufAllocator alloc, Duration handshakeTimeout) {
    SslHandler h = clientPort.newHandler(alloc);
    h.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
    return h;
  }

  /**
   * The JDK context of a client that trusts only the CA in {@code ca} (for blocking sockets).
   *
   * @throws IllegalArgumentException with one line when the file is not a PEM certificate
   */
  public static SSLContext clientContext(Path ca) {
    readable(ca, "--tls-ca");
    List<X509Certificate> cas = certificates(ca, "--tls-ca");
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        ks.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLSv1.3");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("--tls-ca " + ca + ": " + oneLine(e));
    }
  }

  /** Parameters for a client socket of {@link #clientContext}: TLS 1.3, the server must be named by its certificate. */
  public static SSLParameters clientParameters(SSLContext ctx) {
    SSLParameters p = ctx.getDefaultSSLParameters();
    p.setProtocols(PROTOCOLS.toArray(String[]::new));
    p.setEndpointIdentificationAlgorithm("HTTPS");
    return p;
  }

  /**
   * A Netty client context trusting only the CA in {@code ca}, with {@link #PROVIDER}: its engines
   * ({@code newEngine(alloc, host, port)}, released by the caller) serve non-blocking clients that must
   * not depend on the JIT for their crypto, as a load generator's.
   *
   * @throws IllegalArgumentException with one line when the file is not a PEM certificate
   */
  public static SslContext clientSslContext(Path ca) {
    readable(ca, "--tls-ca");
    List<X509Certificate> cas = certificates(ca, "--tls-ca");
    try {
      return SslContextBuilder.forClient().sslProvider(PROVIDER).protocols(PROTOCOLS)
          .trustManager(cas.toArray(X509Certificate[]::new)).endpointIdentificationAlgorithm("HTTPS").build();
    } catch (IOException e) {
      throw new IllegalArgumentException("--tls-ca " + ca + ": " + oneLine(e));
    }
  }

  private static List<X509Certificate> certificates(Path file, String option) {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (all.isEmpty()) {
        throw new IllegalArgumentException(option + " " + file + ": no certificate in it");
      }
      return all.stream().map(c -> (X509Certificate) c).toList();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(option + " " + file + ": not a PEM certificate (" + oneLine(e) + ")");
    }
  }

  private static void readable(Path file, String option) {
    if (file == null) {
      throw new IllegalArgumentException("--tls needs " + option);
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(option + " " + file + " does not exist");
    }
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(option + " " + file + " cannot be read");
    }
  }

  private static void refuseWorldReadable(Path key) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(key);
      if (perms.contains(PosixFilePermission.OTHERS_READ)) {
        throw new IllegalArgumentException("--tls-key " + key + " is readable by every user of the host: chmod 600 " + key);
      }
    } catch (UnsupportedOperationException | NoSuchFileException e) {
      // not a POSIX file system / checked above
    } catch (IOException e) {
      throw new IllegalArgumentException("--tls-key " + key + " cannot be read: " + e.getMessage());
    }
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable c = e.getCause();
    if (c != null && c.getMessage() != null && !m.contains(c.getMessage())) {
      m = m + ": " + c.getMessage();
    }
    return m.replace('\n', ' ');
  }
}
