/**
 * Thread pools whose size does not follow the load up and down (docs/scale.md, the soak). Depends on nothing
 * internal, so that every package may use it.
 */
package dev.drawbridge.threads;
