/**
 * Faults for chaos runs: the {@link dev.lockstep.nemesis.Nemesis} contract, the plain
 * {@link dev.lockstep.nemesis.NemesisOp} it consumes, fault targets named as Jepsen does, and the
 * clock port the subpackages use. Subpackages hold the fault proxy, network namespaces with iptables
 * faults, process faults, the clock control, schedules and the family nemeses. This module depends on Netty only: it never knows
 * the harness, the histories or ftvm.
 */
package dev.lockstep.nemesis;
