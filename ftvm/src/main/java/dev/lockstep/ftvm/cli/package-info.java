/**
 * The picocli commands of ftvm: {@code lockstep machine run|replay} and {@code lockstep bench machine}
 * (registered under the harness's {@code bench} parent).
 * Owns argument parsing, exit codes and console plumbing; never machine semantics, which live in
 * {@code machine} and {@code replay}.
 */
package dev.lockstep.ftvm.cli;
