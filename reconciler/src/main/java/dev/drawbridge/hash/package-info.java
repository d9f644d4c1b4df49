/**
 * SHA-256, the one way the project hashes: digests of content, names of files, labels and keys derived from a
 * text without saying what it is. A leaf package that depends on nothing, so every package may use it.
 */
package dev.drawbridge.hash;
