package dev.lockstep.ftvm.machine;

import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.HostPort;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;

/**
 * The memory-mapped devices of {@code ftvm/DEVICES.md}: console, IRQ controller, timer, RTC, RNG,
 * NIC and disk. Register accesses come from the hart's slow path; asynchronous events arrive through
 * {@link #packet}, {@link #diskDone} and {@link #timerFired}. Host values only through the port.
 */
final class Devices {
  static final int CONSOLE_TX = 0x1000_0000;
  static final int IRQ_PENDING = 0x1000_0100;
  static final int IRQ_ENABLE = 0x1000_0104;
  static final int MTIMECMP_LO = 0x0200_4000;
  static final int MTIMECMP_HI = 0x0200_4004;
  static final int MTIME_LO = 0x0200_BFF8;
  static final int MTIME_HI = 0x0200_BFFC;
  static final int RTC_LO = 0x1000_1000;
  static final int RTC_HI = 0x1000_1004;
  static final int RNG = 0x1000_2000;
  static final int NIC_RX_LEN = 0x1000_3000;
  static final int NIC_RX_ADDR = 0x1000_3004;
  static final int NIC_RX_CMD = 0x1000_3008;
  static final int NIC_RX_COUNT = 0x1000_300C;
  static final int NIC_TX_ADDR = 0x1000_3010;
  static final int NIC_TX_LEN = 0x1000_3014;
  static final int NIC_TX_CMD = 0x1000_3018;
  static final int DISK_SECTOR = 0x1000_4000;
  static final int DISK_ADDR = 0x1000_4004;
  static final int DISK_COUNT = 0x1000_4008;
  static final int DISK_CMD = 0x1000_400C;
  static final int DISK_STATUS = 0x1000_4010;
  static final int DISK_ACK = 0x1000_4014;
  static final int DISK_CAPACITY = 0x1000_4018;

  /** Bound of the NIC rx queue; packets arriving when it is full are dropped (and counted). */
  static final int RX_QUEUE_PACKETS_MAX = 64;
  static final int PACKET_BYTES_MAX = 8192;
  static final int SECTOR_BYTES = 512;
  static final int DISK_REQUEST_SECTORS_MAX = 8;

  static final int IRQ_NIC_RX = 1;
  static final int IRQ_DISK = 2;

  static final int DISK_IDLE = 0;
  static final int DISK_BUSY = 1;
  static final int DISK_DONE = 2;
  static final int DISK_ERROR = 3;
  static final int DISK_OP_READ = 1;
  static final int DISK_OP_WRITE = 2;

  /** Returned by {@link #load} for an address no register answers. */
  static final long UNMAPPED = Long.MIN_VALUE;

  private final Memory mem;
  final long diskSectors;
  HostPort port;

  // reset far in the future (and positive, so signed and unsigned comparisons with mtime agree)
  long mtimecmp = Long.MAX_VALUE;
  boolean timerPending;
  private int mtimeHiLatch;
  private int rtcHiLatch;
  int irqEnable;

  private final ArrayDeque<byte[]> rxQueue = new ArrayDeque<>();
  private int rxAddr;
  private int txAddr;
  private int txLen;
  long rxDropped;

  private int diskSector;
  private int diskAddr;
  private int diskCount;
  int diskStatus;
  private int reqOp;
  private int reqSector;
  private int reqAddr;
  private int reqCount;

  Devices(Memory mem, long diskSectors, HostPort port) {
    this.mem = mem;
    this.diskSectors = diskSectors;
    this.port = port;
  }

  static boolean isDeviceAddress(int addr) {
    return (addr >>> 16) == 0x0200 || (addr >>> 16) == 0x1000;
  }

  int irqPending() {
    return (rxQueue.isEmpty() ? 0 : IRQ_NIC_RX) | (diskStatus >= DISK_DONE ? IRQ_DISK : 0);
  }

  boolean externalLine() {
    return (irqPending() & irqEnable) != 0;
  }

  /** Reads mtime through the port (a clock event) and latches its high half. */
  long readMtime(long icount) {
    long t = port.readClock(icount, EventKind.CLOCK_MTIME);
    mtimeHiLatch = (int) (t >>> 32);
    return t;
  }

  int mtimeHiLatch() {
    return mtimeHiLatch;
  }

  long load(int addr, long icount) {
    switch (addr) {
      case IRQ_PENDING: return irqPending();
      case IRQ_ENABLE: return irqEnable;
      case MTIMECMP_LO: return mtimecmp & 0xFFFF_FFFFL;
      case MTIMECMP_HI: return mtimecmp >>> 32;
      case MTIME_LO: return readMtime(icount) & 0xFFFF_FFFFL;
      case MTIME_HI: return mtimeHiLatch & 0xFFFF_FFFFL;
      case RTC_LO: return readRtc(icount);
      case RTC_HI: return rtcHiLatch & 0xFFFF_FFFFL;
      case RNG: return port.readRandom(icount) & 0xFFFF_FFFFL;
      case NIC_RX_LEN: return rxQueue.isEmpty() ? 0 : rxQueue.peekFirst().length;
      case NIC_RX_ADDR: return rxAddr & 0xFFFF_FFFFL;
      case NIC_RX_COUNT: return rxQueue.size();
      case NIC_TX_ADDR: return txAddr & 0xFFFF_FFFFL;
      case NIC_TX_LEN: return txLen;
      case DISK_SECTOR: return diskSector & 0xFFFF_FFFFL;
      case DISK_ADDR: return diskAddr & 0xFFFF_FFFFL;
      case DISK_COUNT: return diskCount;
      case DISK_STATUS: return diskStatus;
      case DISK_CAPACITY: return diskSectors;
      default: return UNMAPPED;
    }
  }

  private long readRtc(long icount) {
    long t = port.readClock(icount, EventKind.CLOCK_RTC);
    rtcHiLatch = (int) (t >>> 32);
    return t & 0xFFFF_FFFFL;
  }

  /** Writes a register; false when no writable register is at {@code addr}. */
  boolean store(int addr, int value, long icount) {
    switch (addr) {
      case CONSOLE_TX: port.output(icount, EventKind.CONSOLE_OUT, new byte[] {(byte) value}); return true;
      case IRQ_ENABLE: irqEnable = value & (IRQ_NIC_RX | IRQ_DISK); return true;
      case MTIMECMP_LO: mtimecmp = (mtimecmp & 0xFFFF_FFFF_0000_0000L) | (value & 0xFFFF_FFFFL); timerPending = false; return true;
      case MTIMECMP_HI: mtimecmp = (mtimecmp & 0xFFFF_FFFFL) | ((long) value << 32); timerPending = false; return true;
      case NIC_RX_ADDR: rxAddr = value; return true;
      case NIC_RX_CMD: if (value == 1) rxCopy(); return true;
      case NIC_TX_ADDR: txAddr = value; return true;
      case NIC_TX_LEN: txLen = value; return true;
      case NIC_TX_CMD: if (value == 1) transmit(icount); return true;
      case DISK_SECTOR: diskSector = value; return true;
      case DISK_ADDR: diskAddr = value; return true;
      case DISK_COUNT: diskCount = value; return true;
      case DISK_CMD: diskCommand(value, icount); return true;
      case DISK_ACK: if (diskStatus >= DISK_DONE) diskStatus = DISK_IDLE; return true;
      default: return false;
    }
  }

  /** Pops the head packet into guest RAM; a destination outside RAM drops it (counted). */
  private void rxCopy() {
    byte[] p = rxQueue.pollFirst();
    if (p == null) {
      return;
    }
    int off = mem.offset(rxAddr, p.length);
    if (off < 0) {
      rxDropped++;
      return;
    }
    mem.write(off, p, 0, p.length);
  }

  /** Sends TX_LEN bytes at TX_ADDR; a bad length or range sends nothing. */
  private void transmit(long icount) {
    if (txLen < 1 || txLen > PACKET_BYTES_MAX) {
      return;
    }
    int off = mem.offset(txAddr, txLen);
    if (off >= 0) {
      port.output(icount, EventKind.NIC_TX, mem.read(off, txLen));
    }
  }

  private void diskCommand(int op, long icount) {
    if (diskStatus == DISK_BUSY) {
      return; // a command while busy is ignored: the request in flight stays the only one
    }
    long bytes = (long) diskCount * SECTOR_BYTES;
    boolean ok = (op == DISK_OP_READ || op == DISK_OP_WRITE)
        && diskCount >= 1 && diskCount <= DISK_REQUEST_SECTORS_MAX
        && (diskSector & 0xFFFF_FFFFL) + diskCount <= diskSectors
        && mem.offset(diskAddr, (int) bytes) >= 0;
    if (!ok) {
      diskStatus = DISK_ERROR;
      return;
    }
    reqOp = op;
    reqSector = diskSector;
    reqAddr = diskAddr;
    reqCount = diskCount;
    diskStatus = DISK_BUSY;
    port.output(icount, EventKind.DISK_START, diskStartPayload());
  }

  private byte[] diskStartPayload() {
    int data = reqOp == DISK_OP_WRITE ? reqCount * SECTOR_BYTES : 0;
    ByteBuffer b = ByteBuffer.allocate(9 + data).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) reqOp).putInt(reqSector).putInt(reqCount);
    if (data > 0) {
      b.put(mem.read(mem.offset(reqAddr, data), data));
    }
    return b.array();
  }

  /** The DISK_START payload of the request in flight, or null when none is (for reissuing it). */
  byte[] pendingDiskRequest() {
    return diskStatus == DISK_BUSY ? diskStartPayload() : null;
  }

  int rxRoom() {
    return RX_QUEUE_PACKETS_MAX - rxQueue.size();
  }

  int rxWaiting() {
    return rxQueue.size();
  }

  void packet(byte[] p) {
    if (p.length < 1 || p.length > PACKET_BYTES_MAX) {
      throw new IllegalArgumentException("PACKET of " + p.length + " bytes, must be 1 … " + PACKET_BYTES_MAX);
    }
    if (rxQueue.size() >= RX_QUEUE_PACKETS_MAX) {
      rxDropped++;
    } else {
      rxQueue.addLast(p.clone());
    }
  }

  void diskDone(byte[] payload) {
    if (diskStatus != DISK_BUSY) {
      throw new IllegalArgumentException("DISK_DONE with no disk request in flight");
    }
    if (payload.length < 1 || (payload[0] != DISK_DONE && payload[0] != DISK_ERROR)) {
      throw new IllegalArgumentException("DISK_DONE payload must start with status 2 or 3");
    }
    int status = payload[0];
    int data = reqCount * SECTOR_BYTES;
    boolean withData = status == DISK_DONE && reqOp == DISK_OP_READ;
    if (payload.length != 1 + (withData ? data : 0)) {
      throw new IllegalArgumentException("DISK_DONE payload of " + payload.length + " bytes, expected "
          + (1 + (withData ? data : 0)));
    }
    if (withData) {
      mem.write(mem.offset(reqAddr, data), payload, 1, data);
    }
    diskStatus = status;
  }

  void timerFired() {
    timerPending = true;
  }

  long hash(long h) {
    h = Hashing.add(h, mtimecmp);
    h = Hashing.add(h, (timerPending ? 1 : 0) | ((long) irqEnable << 1));
    h = Hashing.add(h, ((long) mtimeHiLatch << 32) | (rtcHiLatch & 0xFFFF_FFFFL));
    h = Hashing.add(h, ((long) rxAddr << 32) | (txAddr & 0xFFFF_FFFFL));
    h = Hashing.add(h, ((long) txLen << 32) | rxQueue.size());
    for (byte[] p : rxQueue) {
      h = Hashing.add(h, java.util.Arrays.hashCode(p) ^ ((long) p.length << 32));
    }
    h = Hashing.add(h, rxDropped);
    h = Hashing.add(h, ((long) diskSector << 32) | (diskAddr & 0xFFFF_FFFFL));
    h = Hashing.add(h, ((long) diskCount << 32) | diskStatus);
    h = Hashing.add(h, ((long) reqOp << 32) | (reqSector & 0xFFFF_FFFFL));
    return Hashing.add(h, ((long) reqAddr << 32) | (reqCount & 0xFFFF_FFFFL));
  }

  void save(DataOutput out) throws IOException {
    out.writeLong(diskSectors);
    out.writeLong(mtimecmp);
    out.writeBoolean(timerPending);
    out.writeInt(mtimeHiLatch);
    out.writeInt(rtcHiLatch);
    out.writeInt(irqEnable);
    out.writeInt(rxQueue.size());
    for (byte[] p : rxQueue) {
      out.writeInt(p.length);
      out.write(p);
    }
    for (int v : new int[] {rxAddr, txAddr, txLen, diskSector, diskAddr, diskCount, diskStatus, reqOp, reqSector, reqAddr, reqCount}) {
      out.writeInt(v);
    }
    out.writeLong(rxDropped);
  }

  static Devices load(DataInput in, Memory mem, HostPort port) throws IOException {
    Devices d = new Devices(mem, in.readLong(), port);
    d.mtimecmp = in.readLong();
    d.timerPending = in.readBoolean();
    d.mtimeHiLatch = in.readInt();
    d.rtcHiLatch = in.readInt();
    d.irqEnable = in.readInt();
    int n = in.readInt();
    if (n < 0 || n > RX_QUEUE_PACKETS_MAX) {
      throw new IOException("snapshot: rx queue of " + n + " packets, at most " + RX_QUEUE_PACKETS_MAX);
    }
    for (int i = 0; i < n; i++) {
      int len = in.readInt();
      if (len < 1 || len > PACKET_BYTES_MAX) {
        throw new IOException("snapshot: rx packet of " + len + " bytes");
      }
      byte[] p = new byte[len];
      in.readFully(p);
      d.rxQueue.addLast(p);
    }
    d.rxAddr = in.readInt();
    d.txAddr = in.readInt();
    d.txLen = in.readInt();
    d.diskSector = in.readInt();
    d.diskAddr = in.readInt();
    d.diskCount = in.readInt();
    d.diskStatus = in.readInt();
    d.reqOp = in.readInt();
    d.reqSector = in.readInt();
    d.reqAddr = in.readInt();
    d.reqCount = in.readInt();
    d.rxDropped = in.readLong();
    return d;
  }
}
