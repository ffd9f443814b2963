package dev.lockstep.ftvm.cli;

import dev.lockstep.ftvm.client.GuestProtocol;
import dev.lockstep.ftvm.client.GuestProtocol.Reply;
import dev.lockstep.ftvm.client.GuestProtocol.Request;
import dev.lockstep.ftvm.client.MalformedReplyException;
import dev.lockstep.ftvm.client.Status;
import dev.lockstep.ftvm.node.host.Recorder;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The scripted client exchange of {@code lockstep machine run --script}: a few kv requests (write,
 * read, cas that succeeds and one that fails, a read of an absent key, a retried request that must get
 * the cached reply byte for byte, a second client) sent to a running kv guest, each reply checked.
 */
final class KvScript {
  /** Longest wait for one reply, in real time. */
  static final long REPLY_WAIT_MILLIS_MAX = 10_000;

  private record Step(Request request, Status status, OptionalInt value) {}

  private static final List<Step> STEPS = List.of(
      new Step(Request.write(1, 1, 7, 10), Status.OK, OptionalInt.empty()),
      new Step(Request.read(1, 2, 7), Status.OK, OptionalInt.of(10)),
      new Step(Request.cas(1, 3, 7, 10, 11), Status.OK, OptionalInt.empty()),
      new Step(Request.cas(1, 4, 7, 10, 12), Status.FAIL, OptionalInt.empty()),
      new Step(Request.read(1, 5, 8), Status.NIL, OptionalInt.empty()),
      new Step(Request.read(1, 5, 8), Status.NIL, OptionalInt.empty()), // a retry: the cached reply
      new Step(Request.read(2, 1, 7), Status.OK, OptionalInt.of(11)));

  private KvScript() {}

  /** Runs the script; true when every reply was as expected. Prints one line per exchange. */
  static boolean run(Recorder recorder, BlockingQueue<byte[]> replies, PrintStream out) throws InterruptedException {
    int good = 0;
    byte[] previous = null;
    for (int i = 0; i < STEPS.size(); i++) {
      Step step = STEPS.get(i);
      boolean retry = i > 0 && STEPS.get(i - 1).equals(step);
      Request r = step.request();
      recorder.offerPacket(GuestProtocol.encode(r));
      byte[] packet = replies.poll(REPLY_WAIT_MILLIS_MAX, TimeUnit.MILLISECONDS);
      String sent = "client " + r.clientId() + " seq " + r.reqSeq() + " " + r.op() + " key " + r.key()
          + " (" + r.arg1() + ", " + r.arg2() + ")";
      if (packet == null) {
        out.println(sent + " -> no reply within " + REPLY_WAIT_MILLIS_MAX + " ms");
        break;
      }
      String verdict = check(step, packet, retry ? previous : null);
      out.println(sent + " -> " + verdict);
      good += verdict.endsWith("ok") ? 1 : 0;
      previous = packet;
    }
    out.println("script: " + good + " of " + STEPS.size() + " replies as expected");
    return good == STEPS.size();
  }

  /** {@code previous} is the reply a retried request must repeat, or null for a new request. */
  private static String check(Step step, byte[] packet, byte[] previous) {
    Reply reply;
    try {
      reply = GuestProtocol.decodeReply(packet, GuestProtocol.Server.KV);
    } catch (MalformedReplyException e) {
      return "malformed reply: " + e.getMessage() + ": not ok";
    }
    String got = reply.status() + (reply.value().isPresent() ? " " + reply.value().getAsInt() : "")
        + " (outSeq " + reply.outSeq() + ")";
    boolean retry = previous != null;
    boolean ok = reply.answers(step.request()) && reply.status() == step.status() && reply.value().equals(step.value())
        && (!retry || Arrays.equals(previous, packet));
    return got + (retry ? ", the cached reply" : "") + ": " + (ok ? "ok" : "not ok, expected " + step.status()
        + (step.value().isPresent() ? " " + step.value().getAsInt() : ""));
  }
}
