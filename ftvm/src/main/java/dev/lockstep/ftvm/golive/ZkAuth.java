package dev.lockstep.ftvm.golive;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * A cluster's ZooKeeper identity: a digest credential derived from the cluster secret, and the ACL its
 * znodes carry, so that only the cluster's nodes can create, change or delete them while anyone (a
 * client looking for the primary) may read them.
 *
 * <p>The digest scheme sends its password to the server in the clear at every connection, so the
 * password is an HMAC of the cluster secret, not the secret itself: a party that sees ZooKeeper traffic
 * learns nothing that opens the logging channel.
 */
public final class ZkAuth {
  public static final String SCHEME = "digest";
  private static final String LABEL = "lockstep zookeeper digest v1|";

  private final String user;
  private final String password;
  private final Id id;

  private ZkAuth(String user, String password) {
    this.user = user;
    this.password = password;
    try {
      this.id = new Id(SCHEME, DigestAuthenticationProvider.generateDigest(user + ":" + password));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-1", e);
    }
  }

  /** The credential of {@code cluster}'s nodes, derived from its secret. */
  public static ZkAuth fromSecret(byte[] secret, String cluster) {
    Objects.requireNonNull(cluster, "cluster");
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] derived = mac.doFinal((LABEL + cluster).getBytes(StandardCharsets.UTF_8));
      return new ZkAuth("lockstep-" + cluster, Base64.getUrlEncoder().withoutPadding().encodeToString(derived));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** The bytes for {@code CuratorFrameworkFactory.Builder.authorization(SCHEME, ...)}. */
  public byte[] authBytes() {
    return (user + ":" + password).getBytes(StandardCharsets.UTF_8);
  }

  /** The identity ZooKeeper sees for a session that authenticated with {@link #authBytes()}. */
  public Id id() {
    return id;
  }

  /** The ACL of every znode of the cluster: everything for its nodes, read for anyone. */
  public List<ACL> clusterAcl() {
    // TRICKY: ZooKeeper.validateACL asks the list whether it contains null, which List.of answers with an NPE
    return new ArrayList<>(List.of(new ACL(ZooDefs.Perms.ALL, id), new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE)));
  }

  /**
   * ACLs by path: the cluster's own under {@code base}; the shared parents ({@code /lockstep},
   * {@code /lockstep/clusters}) stay open, since clusters with different secrets share them.
   */
  public ACLProvider aclProvider(ZkPaths paths) {
    List<ACL> mine = clusterAcl();
    return new ACLProvider() {
      @Override
      public List<ACL> getDefaultAcl() {
        return ZooDefs.Ids.OPEN_ACL_UNSAFE;
      }

      @Override
      public List<ACL> getAclForPath(String path) {
        return path.equals(paths.base()) || path.startsWith(paths.base() + "/") ? mine : ZooDefs.Ids.OPEN_ACL_UNSAFE;
      }
    };
  }
}
