package dev.lockstep.histories.events;

import java.util.Objects;

/**
 * One line of a node's event log ({@code nodes/<id>/events.jsonl}), written by ftvm and read by the
 * checkers. Each is a JSON object whose {@code "type"} names the record: {@code output}, {@code
 * state-hash}, {@code role}, {@code golive}, {@code caught-up}, {@code divergence}. Times are nanoseconds since the test began; epochs,
 * sequence numbers and icounts are non-negative.
 */
public sealed interface NodeEvent {
  /** The node that reports the event. */
  String node();

  /** The value of the record's {@code "type"} field. */
  String type();

  /**
   * An output released to a client: the reply {@code outSeq} of the guest, answering request
   * {@code reqSeq} of {@code clientId}, released in {@code epoch}. {@code bytesHash} identifies the
   * bytes sent (hex); {@code acked} says whether the backup had acknowledged the log up to it (a
   * primary with no backup releases unacknowledged). {@code release} is the output gate's word on it;
   * null in logs written before it was recorded.
   */
  record Output(
      String node,
      long epoch,
      long outSeq,
      long clientId,
      long reqSeq,
      String bytesHash,
      long time,
      boolean acked,
      Release release)
      implements NodeEvent {
    public static final String TYPE = "output";

    public Output {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(bytesHash, "bytesHash");
    }

    /** An output without the gate's word, as logs before it was recorded have it. */
    public Output(String node, long epoch, long outSeq, long clientId, long reqSeq, String bytesHash, long time,
        boolean acked) {
      this(node, epoch, outSeq, clientId, reqSeq, bytesHash, time, acked, null);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * Why the output gate let an output leave: its log entry {@code entrySeq} at {@code icount}, the
   * highest entry the backup had acked then ({@code ackedSeq}), and the gate's {@code standing}: {@link
   * #WITH_BACKUP} (a backup attached: the ack must cover the entry), {@link #ALONE} (no backup, and
   * ZooKeeper's word that this node holds its epoch), {@link #ALONE_WITHOUT_ZK} or {@link #HELD}
   * (nothing may leave in either).
   */
  record Release(long entrySeq, long icount, long ackedSeq, String standing) {
    public static final String WITH_BACKUP = "with-backup";
    public static final String ALONE = "alone";
    public static final String ALONE_WITHOUT_ZK = "alone-without-zk";
    public static final String HELD = "held";

    public Release {
      Objects.requireNonNull(standing, "standing");
    }
  }

  /**
   * A backup that won go-live finished its catch-up, replaying the log of {@code epoch}: the highest
   * entry it had received ({@code receivedSeq}) and acked ({@code ackedSeq}), the last one it executed
   * ({@code executedSeq}), the received entries it left unexecuted ({@code discarded}), and the icount
   * it goes live at. Written before it acts as primary.
   */
  record CaughtUp(String node, long epoch, long receivedSeq, long ackedSeq, long executedSeq, long discarded,
      long icount, long time) implements NodeEvent {
    public static final String TYPE = "caught-up";

    public CaughtUp {
      Objects.requireNonNull(node, "node");
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * The hash (hex) of the machine's state after {@code icount} retired instructions, on the branch of
   * history of {@code epoch}: a primary reports the epoch it is primary of, a backup the epoch of
   * the primary it replays (also while catching up before it goes live). {@code role} is {@link
   * RoleChange#PRIMARY} or {@link RoleChange#BACKUP}. Logs written before epochs were recorded have
   * neither: {@link #UNKNOWN_EPOCH} and a null role.
   */
  record StateHash(String node, long epoch, String role, long icount, String hash) implements NodeEvent {
    public static final String TYPE = "state-hash";
    /** The epoch of a hash from a log that did not record it. */
    public static final long UNKNOWN_EPOCH = -1;

    public StateHash {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(hash, "hash");
      if (epoch < UNKNOWN_EPOCH) {
        throw new IllegalArgumentException("epoch " + epoch + " of a state hash of node " + node);
      }
    }

    /** A hash without epoch or role, as logs before epochs were recorded have them. */
    public StateHash(String node, long icount, String hash) {
      this(node, UNKNOWN_EPOCH, null, icount, hash);
    }

    /** Whether the log recorded the epoch of this hash. */
    public boolean hasEpoch() {
      return epoch != UNKNOWN_EPOCH;
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /** The node took {@code role} ({@link #PRIMARY}, {@link #BACKUP}, {@link #HALTED}) in {@code epoch}. */
  record RoleChange(String node, long epoch, String role, long time) implements NodeEvent {
    public static final String TYPE = "role";
    public static final String PRIMARY = "primary";
    public static final String BACKUP = "backup";
    public static final String HALTED = "halted";

    public RoleChange {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(role, "role");
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * A go-live test-and-set for {@code epoch}: {@link #ATTEMPT} before it, then {@link #WON},
   * {@link #LOST} or {@link #ERROR} with its outcome.
   */
  record GoLive(String node, long epoch, String result, long time) implements NodeEvent {
    public static final String TYPE = "golive";
    public static final String ATTEMPT = "attempt";
    public static final String WON = "won";
    public static final String LOST = "lost";
    public static final String ERROR = "error";

    public GoLive {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(result, "result");
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * The node's own lockstep check failed: replaying the log of {@code epoch} as a backup, it reached
   * another output, input or state hash at {@code icount} than the primary logged. {@code detail}
   * says what differed. The node halts after it.
   */
  record Divergence(String node, long epoch, long icount, String detail, long time) implements NodeEvent {
    public static final String TYPE = "divergence";

    public Divergence {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String type() {
      return TYPE;
    }
  }
}
