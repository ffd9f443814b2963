package dev.lockstep.ftvm.guests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.lockstep.ftvm.client.GuestProtocol;
import dev.lockstep.ftvm.client.GuestProtocol.Request;
import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.RunStatus;
import dev.lockstep.ftvm.replay.EventKind;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server loop of kv and append stamps every packet with mtime, read once per burst of packets
 * taken from the NIC, keeping the times in guest memory only: the same requests at other times give the same replies but another state hash. This is what
 * lets a backup that reads its own clock instead of the logged one be caught.
 */
class GuestsServerClockTest {
  /** Three requests this far apart stay within the guests' first 10 ms tick: no housekeeping runs in either host. */
  private static final long LATER_US = 3_045;

  private static SimHost booted(String guest) throws ElfException {
    SimHost host = SimHost.server(Guests.load(guest), 0, 1);
    assertEquals(RunStatus.IDLE, host.run(KvGuestTest.BOOT_INSTRUCTIONS_MAX));
    return host;
  }

  private static List<byte[]> serve(SimHost host, long pauseUs, Request... requests) {
    for (Request r : requests) {
      host.passTime(pauseUs);
      host.inject(GuestProtocol.encode(r));
      assertEquals(RunStatus.IDLE, host.run(KvGuestTest.REQUEST_INSTRUCTIONS_MAX));
    }
    return host.takeSent();
  }

  private static long clockReads(SimHost host) {
    return host.log().stream().filter(e -> e.kind() == EventKind.CLOCK_MTIME).count();
  }

  @ParameterizedTest
  @ValueSource(strings = {"kv", "append"})
  void requestTimesReachTheStateButNeverTheReplies(String guest) throws ElfException {
    Request[] requests = {
      guest.equals("kv") ? Request.write(1, 1, 7, 42) : Request.append(1, 1, 7, 42),
      Request.read(2, 1, 7),
      Request.read(2, 1, 7), // a retry is a packet too: its client was seen again
    };
    SimHost early = booted(guest);
    SimHost late = booted(guest);
    long readsBefore = clockReads(early);
    List<byte[]> earlyReplies = serve(early, 10, requests);
    List<byte[]> lateReplies = serve(late, LATER_US, requests);

    assertEquals(requests.length, clockReads(early) - readsBefore, "one clock read per burst of one packet");
    assertEquals(requests.length, earlyReplies.size());
    for (int i = 0; i < requests.length; i++) {
      assertArrayEquals(earlyReplies.get(i), lateReplies.get(i), "reply " + i + " does not depend on the time");
    }
    assertEquals(early.machine.icount(), late.machine.icount(), "same path through the guest");
    assertNotEquals(early.machine.stateHash(), late.machine.stateHash(), "the request times are guest state");
  }

  @ParameterizedTest
  @ValueSource(strings = {"kv", "append"})
  void aBurstOfPacketsReadsTheClockOnce(String guest) throws ElfException {
    SimHost host = booted(guest);
    long readsBefore = clockReads(host);
    host.passTime(100);
    for (int c = 1; c <= 3; c++) {
      host.inject(GuestProtocol.encode(Request.read(c, 1, c)));
    }
    assertEquals(RunStatus.IDLE, host.run(3 * KvGuestTest.REQUEST_INSTRUCTIONS_MAX));
    assertEquals(3, host.takeSent().size());
    assertEquals(1, clockReads(host) - readsBefore);
  }

  @ParameterizedTest
  @ValueSource(strings = {"kv", "append"})
  void theSameTimesGiveTheSameState(String guest) throws ElfException {
    SimHost a = booted(guest);
    SimHost b = booted(guest);
    serve(a, 500, Request.read(3, 1, 1), Request.read(4, 1, 2));
    serve(b, 500, Request.read(3, 1, 1), Request.read(4, 1, 2));
    assertEquals(a.machine.stateHash(), b.machine.stateHash());
  }
}
