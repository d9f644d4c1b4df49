/**
 * The command line ({@code check}, {@code reconcile}, {@code serve}, {@code promote}, {@code report}; README, "The command line"): parses arguments,
 * runs the engine of {@code reconcile}, prints results and maps them to exit codes 0 / 1 / 2.
 */
package dev.drawbridge.cli;
