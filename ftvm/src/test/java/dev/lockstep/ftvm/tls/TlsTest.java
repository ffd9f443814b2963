package dev.lockstep.ftvm.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.node.host.ClientPortServer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Loading TLS material (refusals with one line) and the client port over TLS on 127.0.0.1. */
class TlsTest {
  private static final int TIMEOUT_MS = 10_000;
  @TempDir static Path dir;
  private static ThrowawayCa.Material a;
  private static ThrowawayCa.Material b;

  @BeforeAll
  static void makeCas() throws Exception {
    a = ThrowawayCa.make(dir.resolve("a"), "a");
    b = ThrowawayCa.make(dir.resolve("b"), "b");
  }

  private static void refusedWithOneLine(String expected, Executable e) {
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
    assertTrue(x.getMessage().contains(expected) && !x.getMessage().contains("\n"), x.getMessage());
  }

  @Test
  void throwawayMaterialLoadsAndItsKeyIsOwnerOnly() throws Exception {
    Tls.load(a.cert(), a.key(), a.ca());
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(a.key()));
    assertFalse(Files.exists(a.ca().resolveSibling("ca.p12")), "the CA's key is gone");
  }

  @Test
  void badMaterialIsRefusedWithOneLineNamingTheFile() throws Exception {
    Path junk = dir.resolve("junk.pem");
    Files.writeString(junk, "not a certificate\n");
    refusedWithOneLine("does not exist", () -> Tls.load(dir.resolve("none.pem"), a.key(), a.ca()));
    refusedWithOneLine("--tls-ca " + junk, () -> Tls.load(a.cert(), a.key(), junk));
    refusedWithOneLine("--tls-cert " + junk, () -> Tls.load(junk, a.key(), a.ca()));
    refusedWithOneLine("--tls-key", () -> Tls.load(a.cert(), a.cert(), a.ca()));
    Path openKey = dir.resolve("open.key");
    Files.copy(a.key(), openKey);
    Files.setPosixFilePermissions(openKey, PosixFilePermissions.fromString("rw-r--r--"));
    refusedWithOneLine("readable by every user", () -> Tls.load(a.cert(), openKey, a.ca()));
    refusedWithOneLine("--tls needs --tls-ca", () -> Tls.load(a.cert(), a.key(), null));
  }

  @Test
  void clientPortSpeaksTlsAndAClientTrustingAnotherCaRefusesIt() throws Exception {
    ClientPortServer server = ClientPortServer.start(new InetSocketAddress("127.0.0.1", 0), new ClientPortServer.ClientInbox() {
      @Override
      public boolean offer(byte[] packet) {
        return false;
      }

      @Override
      public void offered() {}
    }, Tls.load(a.cert(), a.key(), a.ca()));
    try {
      server.accepting(true);
      int port = server.address().getPort();
      try (SSLSocket ok = connect(Tls.clientContext(a.ca()), port)) {
        ok.startHandshake();
        assertEquals("TLSv1.3", ok.getSession().getProtocol());
        new DataOutputStream(ok.getOutputStream()).writeInt(0); // an empty packet: framing intact over TLS
      }
      try (SSLSocket wrongCa = connect(Tls.clientContext(b.ca()), port)) {
        assertThrows(SSLException.class, wrongCa::startHandshake);
      }
      try (Socket plain = new Socket("127.0.0.1", port)) {
        plain.setSoTimeout(TIMEOUT_MS);
        new DataOutputStream(plain.getOutputStream()).write(new byte[] {0, 0, 0, 3, 1, 2, 3});
        // a client that does not speak TLS is closed, never served
        assertEquals(-1, readUntilClosed(new DataInputStream(plain.getInputStream())));
      }
    } finally {
      server.close();
    }
  }

  private static int readUntilClosed(DataInputStream in) {
    try {
      int r;
      do {
        r = in.read();
      } while (r >= 0);
      return r;
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  private static SSLSocket connect(SSLContext ctx, int port) throws Exception {
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
    s.setSSLParameters(Tls.clientParameters(ctx));
    s.setSoTimeout(TIMEOUT_MS);
    return s;
  }
}
