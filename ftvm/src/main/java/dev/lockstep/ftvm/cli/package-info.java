/**
 * The picocli commands of ftvm: {@code lockstep machine run|replay|debug} and {@code lockstep bench machine}
 * (registered under the harness's {@code bench} parent).
 * Owns argument parsing, exit codes and console plumbing; never machine semantics, which live in
 * {@code machine}, {@code replay}, {@code rewind} and {@code debug}.
 */
package dev.lockstep.ftvm.cli;
