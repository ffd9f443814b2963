/**
 * The bundled RISC-V guest images (kv, append, chaos, cpubench), built from {@code ftvm/guests} by the
 * build and read from the classpath, and the patching of their parameter words. Owns no machine logic
 * and never compiles anything at run time.
 */
package dev.lockstep.ftvm.guests;
