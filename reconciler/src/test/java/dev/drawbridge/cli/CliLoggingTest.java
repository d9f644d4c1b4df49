package dev.drawbridge.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands' logging set-up: one line per event on stderr, as the XML pattern was. */
class CliLoggingTest {

    @Test
    void formatsOneLinePerEventLikeThePattern() {
        LoggerContext context = new LoggerContext();
        CliLogging.OneLine layout = new CliLogging.OneLine();
        layout.setContext(context);
        LoggingEvent event = new LoggingEvent("x", context.getLogger("dev.drawbridge.apply.KubernetesApplier"), Level.WARN,
                "production: applied {}", null, new Object[]{"1 configured"});
        event.setTimeStamp(java.time.LocalDateTime.of(2026, 11, 29, 9, 5, 7, 42_000_000)
                .atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli());

        assertThat(layout.doLayout(event)).isEqualTo("09:05:07.042 WARN  d.d.a.KubernetesApplier - production: applied 1 configured\n");
        assertThat(CliLogging.OneLine.abbreviate("d.d.Short")).isEqualTo("d.d.Short");
    }

    @Test
    void quietsTheChattyLibrariesAndLogsInfoToStderr() {
        LoggerContext context = new LoggerContext();
        CliLogging.configureInCode(context);

        assertThat(context.getLogger("io.fabric8.kubernetes.client").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("dev.drawbridge.reconcile").getEffectiveLevel()).isEqualTo(Level.INFO);
        var appender = (ch.qos.logback.core.ConsoleAppender<?>) context.getLogger("ROOT").getAppender("STDERR");
        assertThat(appender.getTarget()).isEqualTo("System.err");
    }
}
