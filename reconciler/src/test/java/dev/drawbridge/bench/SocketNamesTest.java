package dev.drawbridge.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How the soak names a socket from a line of {@code /proc/PID/net/tcp} or {@code tcp6} ({@link ServeProcess#socketName}). */
class SocketNamesTest {

    private static final Map<Integer, String> NAMES = Map.of(8080, "serve", 6443, "api-server");

    @Test
    void aListeningSocketIsNamedByItsOwnPort() {
        assertThat(ServeProcess.socketName("00000000:1F90", "00000000:0000", "LISTEN", NAMES))
                .isEqualTo("socket listening on serve");
    }

    @Test
    void aConnectionIsNamedByThePortItGoesTo() {
        // 127.0.0.1:50000 -> 127.0.0.1:6443
        assertThat(ServeProcess.socketName("0100007F:C350", "0100007F:192B", "ESTABLISHED", NAMES))
                .isEqualTo("socket to api-server (ESTABLISHED)");
    }

    @Test
    void anAcceptedConnectionIsNamedByThePortItCameIn() {
        assertThat(ServeProcess.socketName("0100007F:1F90", "0100007F:C350", "ESTABLISHED", NAMES))
                .isEqualTo("socket from a client of serve (ESTABLISHED)");
    }

    @Test
    void anUnknownPeerIsItsAddressAndPortIPv4OrIPv6() {
        // 10.0.0.5:443, as /proc/net/tcp writes it (little-endian words)
        assertThat(ServeProcess.socketName("0100007F:C350", "0500000A:01BB", "TIME_WAIT", NAMES))
                .isEqualTo("socket to 10.0.0.5:443 (TIME_WAIT)");
        // ::ffff:127.0.0.1 in tcp6
        assertThat(ServeProcess.socketName("0000000000000000FFFF00000100007F:C350",
                "0000000000000000FFFF00000100007F:0050", "ESTABLISHED", NAMES))
                .isEqualTo("socket to 127.0.0.1:80 (ESTABLISHED)");
    }
}
