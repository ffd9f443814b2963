package dev.lockstep.ftvm.node.host;

import dev.lockstep.ftvm.ft.ChannelSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * Where a node's cluster secret comes from: a file only its owner can read ({@code --secret-file}), the
 * environment ({@value #ENV}), or, for tests only, the command line ({@code --secret}, visible in
 * {@code ps} to every user of the host). There is no default: a secret anyone can read in the source
 * authenticates nobody.
 */
public final class ClusterSecret {
  /** The environment variable holding the secret itself (readable only by the process's owner). */
  public static final String ENV = "LOCKSTEP_SECRET";
  /** Bytes of a generated secret, before base64. */
  public static final int GENERATED_BYTES = 32;
  /** A secret file larger than this is not a secret file. */
  static final long FILE_BYTES_MAX = 4096;

  private ClusterSecret() {}

  /** The outcome of {@link #resolve}: the secret and, for {@code --secret}, the warning to log. */
  public record Resolved(String secret, String warning) {}

  /**
   * Picks the secret from the options and the environment.
   *
   * @throws IllegalArgumentException with a one-line reason when there is none, two are given, the
   *     file cannot be read, is readable by every user, or the secret is too short
   */
  public static Resolved resolve(Path secretFile, String secretFlag, Map<String, String> env) {
    if (secretFile != null && secretFlag != null) {
      throw new IllegalArgumentException("give --secret-file or --secret, not both");
    }
    if (secretFile != null) {
      return new Resolved(checked(read(secretFile), "secret file " + secretFile), null);
    }
    if (secretFlag != null) {
      return new Resolved(checked(secretFlag, "--secret"),
          "--secret is for tests only: every user of this host can read it in the process list; use --secret-file");
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return new Resolved(checked(fromEnv.strip(), "$" + ENV), null);
    }
    throw new IllegalArgumentException("no cluster secret: give --secret-file FILE (mode 600) or set " + ENV);
  }

  /**
   * Reads a secret file: its content without surrounding whitespace.
   *
   * @throws IllegalArgumentException when it is missing, unreadable, too large or readable by every user
   */
  public static String read(Path file) {
    try {
      Set<PosixFilePermission> perms = posixPermissions(file);
      if (perms != null && perms.contains(PosixFilePermission.OTHERS_READ)) {
        throw new IllegalArgumentException("secret file " + file + " is readable by every user of the host (mode "
            + PosixFilePermissions.toString(perms) + "): chmod 600 " + file);
      }
      if (Files.size(file) > FILE_BYTES_MAX) {
        throw new IllegalArgumentException("secret file " + file + " is larger than " + FILE_BYTES_MAX + " bytes");
      }
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("secret file " + file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("secret file " + file + " cannot be read: " + e.getMessage());
    }
  }

  /**
   * Writes a fresh random secret to a new file only its owner can read (mode 600), and returns it.
   *
   * @throws IOException when the file exists already or cannot be written
   */
  public static String generate(Path file) throws IOException {
    byte[] raw = new byte[GENERATED_BYTES];
    new SecureRandom().nextBytes(raw);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    Files.createDirectories(file.toAbsolutePath().getParent());
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file); // not a POSIX file system: its own rules apply
    } catch (FileAlreadyExistsException e) {
      throw new IOException("secret file " + file + " exists already; a fresh secret goes to a new file", e);
    }
    Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
    return secret;
  }

  private static Set<PosixFilePermission> posixPermissions(Path file) throws IOException {
    try {
      return Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return null;
    }
  }

  private static String checked(String secret, String where) {
    if (secret.getBytes(StandardCharsets.UTF_8).length < ChannelSettings.SECRET_BYTES_MIN) {
      throw new IllegalArgumentException(where + ": the secret must have at least " + ChannelSettings.SECRET_BYTES_MIN + " bytes");
    }
    return secret;
  }
}
