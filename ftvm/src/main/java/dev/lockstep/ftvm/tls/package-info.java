/**
 * TLS for the logging channel (mutual: primary and backup both present a certificate of the cluster's CA)
 * and the client port (the client verifies the primary's certificate): {@link dev.lockstep.ftvm.tls.Tls}
 * loads a key, a certificate and a trusted CA from PEM files and builds the Netty {@code SslHandler}s and
 * the JDK context of the blocking client; {@link dev.lockstep.ftvm.tls.ThrowawayCa} makes a CA and
 * certificates for one test run with the JDK's {@code keytool}.
 *
 * <p>Never decides who belongs to a cluster: TLS keeps the bytes private and proves a peer holds a
 * certificate of the CA; the cluster secret's handshake and frame MACs still decide membership.
 */
package dev.lockstep.ftvm.tls;
