/**
 * The real node process and its adapters: {@link dev.lockstep.ftvm.node.host.NodeCommand}
 * ({@code lockstep node}) reads the settings and starts a {@link dev.lockstep.ftvm.node.host.Node},
 * which wires the drivers and the lifecycle to real threads ({@code PrimaryLoop}, {@code BackupLoop}),
 * the Netty logging channel and client port ({@code ClientPort*}), Curator, the host's clocks
 * (a clock fault's {@link dev.lockstep.ftvm.node.host.OffsetClock}) and files.
 *
 * <p>Owns threads, sockets and waiting, and no protocol decision: what to do when a peer, a session
 * or an epoch is lost is the lifecycle's, when an output may leave is the output rule's. Apart from
 * {@link dev.lockstep.ftvm.node.HostClock#SYSTEM}, it is the only part of the node that reads the
 * system clock or parks a thread; the simulator replaces it whole
 * ({@code dev.lockstep.ftvm.sim.SimulatedNode}).
 */
package dev.lockstep.ftvm.node.host;
