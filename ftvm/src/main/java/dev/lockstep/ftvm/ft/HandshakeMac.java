package dev.lockstep.ftvm.ft;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The handshake's proofs: HMAC-SHA256, keyed by the cluster secret, over a role label, the cluster, the
 * epoch, both node ids and both nonces, each field length-prefixed so no two inputs share an encoding.
 * The role label keeps the primary's proof from being reflected back as the backup's.
 */
final class HandshakeMac {
  static final String PRIMARY = "lockstep-primary";
  static final String BACKUP = "lockstep-backup";
  static final String KEY_PRIMARY_TO_BACKUP = "lockstep-key-p2b";
  static final String KEY_BACKUP_TO_PRIMARY = "lockstep-key-b2p";

  private HandshakeMac() {}

  static byte[] compute(byte[] secret, String role, String cluster, long epoch, String fromNode, String toNode,
      byte[] fromNonce, byte[] toNonce) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      for (String s : new String[] {role, cluster, fromNode, toNode}) {
        field(mac, s.getBytes(StandardCharsets.UTF_8));
      }
      mac.update(ByteBuffer.allocate(8).putLong(epoch).array());
      field(mac, fromNonce);
      field(mac, toNonce);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }

  static boolean matches(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }

  private static void field(Mac mac, byte[] bytes) {
    mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    mac.update(bytes);
  }
}
