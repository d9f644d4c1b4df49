/**
 * Small validated value types that travel between the stages instead of strings: an
 * {@link dev.drawbridge.values.EnvironmentName} and a {@link dev.drawbridge.values.CommitId}. Each is parsed once
 * where it enters (configuration, command line, HTTP, Git) and turned back into its string only where it is
 * written out (JSON as the plain string). Depends on nothing internal; every package may use it.
 */
package dev.drawbridge.values;
