/**
 * The client side of a cluster: {@link dev.lockstep.ftvm.client.FtClient} finds the live primary through
 * ZooKeeper, sends {@code (clientId, reqSeq, op)} requests as guest packets, retries the same reqSeq on
 * timeout or reconnect, drops duplicate and stale replies, and classifies each call as ok, fail (it
 * certainly did not happen) or info (unknown). Also the {@code lockstep client} command, and the binary
 * packet protocol of the kv and append guests ({@code ftvm/DEVICES.md}).
 *
 * <p>Never guesses: a call whose request may have reached a primary and got no reply is info, never fail.
 */
package dev.lockstep.ftvm.client;
