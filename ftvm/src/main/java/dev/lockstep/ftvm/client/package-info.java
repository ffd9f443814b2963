/**
 * The client side of the bundled guests: the binary packet protocol of the kv and append guests
 * ({@code ftvm/DEVICES.md}). Owns encoding and decoding only; never touches the machine's internals.
 */
package dev.lockstep.ftvm.client;
