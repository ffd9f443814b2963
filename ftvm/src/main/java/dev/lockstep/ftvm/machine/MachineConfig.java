package dev.lockstep.ftvm.machine;

import java.nio.file.Path;

/**
 * Settings of a machine that are part of its deterministic identity: RAM size and disk capacity. The
 * disk file is a host-side setting used by recording drivers; the machine itself never opens it.
 */
public final class MachineConfig {
  /** Default RAM: 16 MiB. */
  public static final int RAM_BYTES_DEFAULT = 16 << 20;
  /** Smallest RAM accepted: 64 KiB. */
  public static final int RAM_BYTES_MIN = 64 << 10;
  /** Largest RAM accepted: 1 GiB (the decoded-instruction cache doubles the host memory needed). */
  public static final int RAM_BYTES_MAX = 1 << 30;
  /** RAM size granule: one 4 KiB page. */
  public static final int RAM_GRANULE_BYTES = 4096;
  /** Largest disk: 2^31 sectors of 512 bytes. */
  public static final long DISK_SECTORS_MAX = Integer.MAX_VALUE;

  private final int ramBytes;
  private final Path diskPath;
  private final long diskSectors;

  private MachineConfig(Builder b) {
    this.ramBytes = b.ramBytes;
    this.diskPath = b.diskPath;
    this.diskSectors = b.diskSectors;
  }

  public static MachineConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return builder().ramBytes(ramBytes).diskPath(diskPath).diskSectors(diskSectors);
  }

  public int ramBytes() {
    return ramBytes;
  }

  /** The file backing the disk in record mode, or null. */
  public Path diskPath() {
    return diskPath;
  }

  /** Disk capacity in 512-byte sectors (0: no disk, every request fails). */
  public long diskSectors() {
    return diskSectors;
  }

  @Override
  public String toString() {
    return "MachineConfig[ramBytes=" + ramBytes + ", diskPath=" + diskPath + ", diskSectors=" + diskSectors + "]";
  }

  /** Builder; {@link #build()} validates. */
  public static final class Builder {
    private int ramBytes = RAM_BYTES_DEFAULT;
    private Path diskPath;
    private long diskSectors;

    public Builder ramBytes(int ramBytes) {
      this.ramBytes = ramBytes;
      return this;
    }

    public Builder ramMib(int mib) {
      if (mib <= 0 || mib > (RAM_BYTES_MAX >> 20)) {
        throw new IllegalArgumentException("RAM of " + mib + " MiB out of range 1 … " + (RAM_BYTES_MAX >> 20));
      }
      return ramBytes(mib << 20);
    }

    public Builder diskPath(Path diskPath) {
      this.diskPath = diskPath;
      return this;
    }

    public Builder diskSectors(long diskSectors) {
      this.diskSectors = diskSectors;
      return this;
    }

    public MachineConfig build() {
      if (ramBytes < RAM_BYTES_MIN || ramBytes > RAM_BYTES_MAX || ramBytes % RAM_GRANULE_BYTES != 0) {
        throw new IllegalArgumentException("RAM size " + ramBytes + " bytes: must be a multiple of "
            + RAM_GRANULE_BYTES + " between " + RAM_BYTES_MIN + " and " + RAM_BYTES_MAX);
      }
      if (diskSectors < 0 || diskSectors > DISK_SECTORS_MAX) {
        throw new IllegalArgumentException("disk of " + diskSectors + " sectors out of range 0 … " + DISK_SECTORS_MAX);
      }
      return new MachineConfig(this);
    }
  }
}
