package dev.lockstep.ftvm.replay;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a replay log was recorded with: the machine's RAM size and disk capacity and the SHA-256 of
 * the guest image, so a replay with another image or config fails at once with a clear message.
 */
public record ReplayLogHeader(int ramBytes, long diskSectors, byte[] imageSha256) {
  public static final int SHA256_BYTES = 32;

  public ReplayLogHeader {
    if (imageSha256.length != SHA256_BYTES) {
      throw new IllegalArgumentException("image digest of " + imageSha256.length + " bytes");
    }
  }

  public static ReplayLogHeader of(int ramBytes, long diskSectors, byte[] image) {
    return new ReplayLogHeader(ramBytes, diskSectors, sha256(image));
  }

  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  public String imageHex() {
    return HexFormat.of().formatHex(imageSha256);
  }

  /** Whether {@code image} is the image this log was recorded with. */
  public boolean matchesImage(byte[] image) {
    return Arrays.equals(imageSha256, sha256(image));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReplayLogHeader h && ramBytes == h.ramBytes && diskSectors == h.diskSectors
        && Arrays.equals(imageSha256, h.imageSha256);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(imageSha256) ^ ramBytes ^ Long.hashCode(diskSectors);
  }

  @Override
  public String toString() {
    return "ReplayLogHeader[ramBytes=" + ramBytes + ", diskSectors=" + diskSectors + ", image=" + imageHex() + "]";
  }
}
