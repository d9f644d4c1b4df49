package dev.drawbridge.gate;

/** The verdict on one image. ERROR (could not verify) is never a pass. */
public enum Verdict {
    PASS, WARN, BLOCK, ERROR
}
