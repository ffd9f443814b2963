/**
 * Real partitions the way Jepsen makes them: each member of a test (a ZooKeeper server, a node) in its
 * own network namespace with its own address on a bridge the run creates, and packet filters
 * (iptables) inside the namespaces instead of a proxy in the data path ({@link
 * dev.lockstep.nemesis.netns.NetnsLink}). Everything created here is removed on close and by a shutdown
 * hook, and a later run sweeps what a killed one left. Needs root; never touches a namespace or rule it
 * did not create (every name carries a run's tag, and only rules inside the run's namespaces are made).
 */
package dev.lockstep.nemesis.netns;
