package dev.lockstep.ftvm.guests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.client.GuestProtocol;
import dev.lockstep.ftvm.client.GuestProtocol.Request;
import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.RunStatus;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The work the kv and append guests do besides answering (runtime/server.c): a timer tick every
 * 10 ms and a journal of every executed WRITE, CAS and APPEND on the disk, read back every eighth
 * write. None of it reaches a reply.
 */
class GuestsHousekeepingTest {
  private static final long TICK_US = 10_000;
  private static final long DISK_SECTORS = 64;
  private static final int RECORD_BYTES = 32;
  private static final int JOURNAL_MAGIC = 0x4C4E524A;
  private static final int RECORDS_PER_SECTOR = 512 / RECORD_BYTES;

  private static SimHost booted(String guest, long diskSectors) throws ElfException {
    SimHost host = SimHost.server(Guests.load(guest), diskSectors, 5);
    assertEquals(RunStatus.IDLE, host.run(KvGuestTest.BOOT_INSTRUCTIONS_MAX));
    return host;
  }

  private static List<byte[]> serve(SimHost host, List<Request> requests) {
    List<byte[]> replies = new ArrayList<>();
    for (Request r : requests) {
      host.inject(GuestProtocol.encode(r));
      assertEquals(RunStatus.IDLE, host.run(KvGuestTest.REQUEST_INSTRUCTIONS_MAX));
      replies.addAll(host.takeSent());
    }
    return replies;
  }

  /** Lets one tick come and go, with the disk requests it starts. */
  private static void tick(SimHost host) {
    host.passTime(TICK_US);
    assertEquals(RunStatus.IDLE, host.run(KvGuestTest.REQUEST_INSTRUCTIONS_MAX));
  }

  private static long count(SimHost host, EventKind kind) {
    return host.log().stream().filter(e -> e.kind() == kind).count();
  }

  private static List<Event> diskStarts(SimHost host, int op) {
    return host.log().stream().filter(e -> e.kind() == EventKind.DISK_START && e.payload()[0] == op).toList();
  }

  /** The journal records from sector 0 on, up to the first slot that holds none. */
  private static List<int[]> journal(byte[] disk) {
    ByteBuffer b = ByteBuffer.wrap(disk).order(ByteOrder.LITTLE_ENDIAN);
    List<int[]> records = new ArrayList<>();
    for (int at = 0; at + RECORD_BYTES <= disk.length && b.getInt(at) == JOURNAL_MAGIC; at += RECORD_BYTES) {
      int[] r = new int[8];
      for (int i = 0; i < 8; i++) {
        r[i] = b.getInt(at + 4 * i);
      }
      records.add(r);
    }
    return records;
  }

  private static int[] record(int seq, Request r, int status) {
    return new int[] {JOURNAL_MAGIC, seq, (int) r.clientId(), (int) r.reqSeq(), r.op().code() | status << 8,
        (int) r.key(), r.arg1(), r.arg2()};
  }

  @Test
  void kvJournalsEveryExecutedMutationInOrderAndNoReadOrRetry() throws ElfException {
    SimHost host = booted("kv", DISK_SECTORS);
    Request w = Request.write(1, 1, 7, 42);
    Request casFails = Request.cas(2, 1, 7, 41, 5);
    Request casOk = Request.cas(2, 2, 7, 42, -9);
    serve(host, List.of(w, Request.read(3, 1, 7), w, casFails, casOk));
    assertEquals(0, diskStarts(host, 2).size(), "a partly filled sector waits for the tick");
    tick(host);

    assertEquals(1, diskStarts(host, 2).size());
    List<int[]> records = journal(host.diskCopy());
    assertEquals(3, records.size(), "a write, a failed and a good cas; the read and the retry leave no record");
    assertArrayEquals(record(1, w, 0), records.get(0));
    assertArrayEquals(record(2, casFails, 1), records.get(1));
    assertArrayEquals(record(3, casOk, 0), records.get(2));
  }

  @Test
  void aFullSectorIsWrittenAtOnceAndEveryEighthWriteIsReadBack() throws ElfException {
    SimHost host = booted("append", DISK_SECTORS);
    List<Request> appends = new ArrayList<>();
    int sectors = 8;
    for (int i = 1; i <= sectors * RECORDS_PER_SECTOR; i++) {
      appends.add(Request.append(1, i, i % 3, i));
    }
    serve(host, appends);

    assertEquals(sectors, diskStarts(host, 2).size(), "one write per filled sector, no tick needed");
    assertEquals(1, diskStarts(host, 1).size(), "the eighth write is read back");
    assertEquals(0, count(host, EventKind.TIMER));
    List<int[]> records = journal(host.diskCopy());
    assertEquals(appends.size(), records.size());
    for (int i = 0; i < appends.size(); i++) {
      assertArrayEquals(record(i + 1, appends.get(i), 0), records.get(i), "record " + (i + 1));
    }
    assertEquals("append: serving (clients max 1024)\n", host.console(), "the read-back matched");
  }

  @ParameterizedTest
  @ValueSource(strings = {"kv", "append"})
  void theDiskAndTheTicksNeverReachAReply(String guest) throws ElfException {
    List<Request> requests = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      requests.add(guest.equals("kv") ? Request.write(i % 5, i, i % 7, i) : Request.append(i % 5, i, i % 7, i));
      requests.add(Request.read(9, i, i % 7));
    }
    SimHost plain = booted(guest, 0);
    SimHost busy = booted(guest, DISK_SECTORS);
    List<byte[]> plainReplies = serve(plain, requests);
    List<byte[]> busyReplies = new ArrayList<>();
    for (Request r : requests) {
      busyReplies.addAll(serve(busy, List.of(r)));
      tick(busy);
    }

    assertTrue(count(busy, EventKind.TIMER) >= requests.size(), "a tick after every request");
    assertTrue(diskStarts(busy, 2).size() > 0, "the journal was written");
    assertEquals(plainReplies.size(), busyReplies.size());
    for (int i = 0; i < plainReplies.size(); i++) {
      assertArrayEquals(plainReplies.get(i), busyReplies.get(i), "reply " + i);
    }
    assertNotEquals(plain.machine.stateHash(), busy.machine.stateHash(), "ticks and journal are guest state");
  }
}
