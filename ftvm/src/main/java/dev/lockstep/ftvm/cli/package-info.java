/**
 * The picocli commands of ftvm: {@code lockstep machine run|replay} and {@code lockstep bench machine}.
 * Owns argument parsing, exit codes and console plumbing; never machine semantics, which live in
 * {@code machine} and {@code replay}.
 */
package dev.lockstep.ftvm.cli;
