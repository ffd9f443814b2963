package dev.lockstep.ftvm.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostDiskTest {

  @TempDir Path dir;

  private static byte[] start(int op, int sector, int count, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(9 + data.length).order(ByteOrder.LITTLE_ENDIAN);
    return b.put((byte) op).putInt(sector).putInt(count).put(data).array();
  }

  @Test
  void writesThenReadsBackSectorsAndRejectsOutOfRangeRequests() throws Exception {
    try (HostDisk d = HostDisk.open(dir.resolve("d.img"), 16)) {
      assertEquals(16, d.sectors());
      byte[] data = new byte[1024];
      Arrays.fill(data, (byte) 0x5A);
      assertArrayEquals(new byte[] {HostDisk.STATUS_DONE}, d.execute(start(2, 3, 2, data)));
      byte[] done = d.execute(start(1, 3, 2, new byte[0]));
      assertEquals(HostDisk.STATUS_DONE, done[0]);
      assertArrayEquals(data, Arrays.copyOfRange(done, 1, done.length));
      assertArrayEquals(new byte[] {HostDisk.STATUS_ERROR}, d.execute(start(1, 15, 2, new byte[0])));
      assertArrayEquals(new byte[] {HostDisk.STATUS_ERROR}, d.execute(new byte[] {1, 0}));
      byte[] all = d.readAll();
      assertEquals(16 * 512, all.length);
      try (HostDisk copy = HostDisk.open(dir.resolve("copy.img"), 16)) {
        copy.writeAll(all);
        assertArrayEquals(done, copy.execute(start(1, 3, 2, new byte[0])));
      }
    }
  }
}
