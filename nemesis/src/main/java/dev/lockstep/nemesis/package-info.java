/** Faults: process kill, pause and restart, a Netty fault proxy, ZooKeeper faults and schedules. */
package dev.lockstep.nemesis;
