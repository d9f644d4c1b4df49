package dev.drawbridge.gate;

/** The decision for a whole revision: PASS (every image PASS or WARN), BLOCK, ERROR. */
public enum Decision {
    PASS, BLOCK, ERROR
}
