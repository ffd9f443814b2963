/**
 * The run-directory layout: where one test run keeps its history, settings, nemesis schedule, node
 * event and replay logs and results, and the {@code latest} links. Owns paths and names only; never
 * decides what goes in a file beyond the op and event formats of this module.
 */
package dev.lockstep.histories.run;
