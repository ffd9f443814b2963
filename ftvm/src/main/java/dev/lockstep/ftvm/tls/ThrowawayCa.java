package dev.lockstep.ftvm.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A CA and one node certificate made for a single test run with the JDK's own {@code keytool} (run as a
 * process: no library outside the JDK), written as PEM files: {@code ca.pem}, {@code node.pem} and
 * {@code node.key} (mode 600). The node certificate names 127.0.0.1 and localhost and serves as client
 * and server, so every node of the run uses it. Keys are EC P-256; everything is valid for two days.
 */
public final class ThrowawayCa {
  /** Bound on one keytool run. */
  static final long KEYTOOL_SECONDS_MAX = 60;
  static final String VALIDITY_DAYS = "2";

  /** The PEM files of one run. */
  public record Material(Path ca, Path cert, Path key) {
    /** The {@code lockstep node} options that use them. */
    public List<String> nodeArgs() {
      return List.of("--tls", "--tls-ca", ca.toString(), "--tls-cert", cert.toString(), "--tls-key", key.toString());
    }
  }

  private ThrowawayCa() {}

  /**
   * Makes a fresh CA named {@code name} and a node certificate signed by it, in {@code dir}.
   *
   * @throws IOException when keytool fails or the files cannot be written
   */
  public static Material make(Path dir, String name) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    byte[] raw = new byte[18];
    new SecureRandom().nextBytes(raw);
    String pass = HexFormat.of().formatHex(raw);
    Path caStore = dir.resolve("ca.p12");
    Path nodeStore = dir.resolve("node.p12");
    Path csr = dir.resolve("node.csr");
    Path cert = dir.resolve("node.pem");
    Files.deleteIfExists(caStore);
    Files.deleteIfExists(nodeStore);
    keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=lockstep throwaway CA " + name, "-ext", "bc:c", "-validity", VALIDITY_DAYS,
        "-keystore", caStore.toString(), "-storetype", "PKCS12", "-storepass", pass, "-keypass", pass);
    keytool(dir, "-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=lockstep node " + name, "-validity", VALIDITY_DAYS,
        "-keystore", nodeStore.toString(), "-storetype", "PKCS12", "-storepass", pass, "-keypass", pass);
    keytool(dir, "-certreq", "-alias", "node", "-keystore", nodeStore.toString(), "-storepass", pass,
        "-file", csr.toString());
    keytool(dir, "-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", pass,
        "-infile", csr.toString(), "-outfile", cert.toString(), "-rfc", "-validity", VALIDITY_DAYS,
        "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "eku=serverAuth,clientAuth", "-ext", "ku=digitalSignature");
    try {
      KeyStore ca = load(caStore, pass);
      Path caPem = dir.resolve("ca.pem");
      Files.writeString(caPem, pem("CERTIFICATE", ca.getCertificate("ca").getEncoded()), StandardCharsets.US_ASCII);
      KeyStore node = load(nodeStore, pass);
      Key key = node.getKey("node", pass.toCharArray());
      Path keyPem = dir.resolve("node.key");
      Files.deleteIfExists(keyPem);
      Files.createFile(keyPem, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
      Files.delete(caStore); // the CA's key signs nothing more: no one can add a certificate to this run
      Files.delete(nodeStore);
      Files.delete(csr);
      return new Material(caPem, cert, keyPem);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the keys keytool made in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static KeyStore load(Path store, String pass) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, pass.toCharArray());
    }
    return ks;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.add("-J-XX:TieredStopAtLevel=1");
    cmd.add("-J-Xshare:auto");
    cmd.addAll(List.of(args));
    cmd.add("-noprompt");
    Path log = dir.resolve("keytool.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    try {
      if (!p.waitFor(KEYTOOL_SECONDS_MAX, TimeUnit.SECONDS)) {
        throw new IOException("keytool " + args[0] + " did not finish within " + KEYTOOL_SECONDS_MAX + " s");
      }
      if (p.exitValue() != 0) {
        throw new IOException("keytool " + args[0] + " failed (exit " + p.exitValue() + "), see " + log);
      }
    } finally {
      p.destroyForcibly();
    }
  }
}
