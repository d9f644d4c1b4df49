package dev.drawbridge.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;

/**
 * Logging of the commands, set up in code (found by Logback through {@code META-INF/services}) instead of
 * from XML: a command starts in well under a second, and Logback's XML configuration alone loads several
 * hundred classes. Everything goes to stderr, so that stdout carries only a command's result ({@code check
 * --format json} prints pure JSON): {@code HH:mm:ss.SSS LEVEL logger - message}. {@code serve} is configured
 * by Spring Boot from {@code logback-spring.xml}, with the same format and levels. A file named with
 * {@code -Dlogback.configurationFile=...} replaces all of this, as Logback documents.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class CliLogging extends ContextAwareBase implements Configurator {

    /** Libraries that say too much at INFO. */
    static final Map<String, Level> QUIET = Map.of("io.fabric8", Level.WARN, "org.eclipse.jgit", Level.WARN,
            "okhttp3", Level.WARN, "io.vertx", Level.WARN, "io.netty", Level.WARN, "org.apache.sshd", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // a configuration file asked for by name is used instead
        }
        configureInCode(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static void configureInCode(LoggerContext context) {
        OneLine layout = new OneLine();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("STDERR");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(appender);
        QUIET.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }

    /** {@code %d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n}, written out by hand. */
    static final class OneLine extends LayoutBase<ILoggingEvent> {
        private static final ZoneId ZONE = ZoneId.systemDefault();

        @Override
        public String doLayout(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(128);
            LocalTime time = LocalTime.ofInstant(Instant.ofEpochMilli(event.getTimeStamp()), ZONE);
            pad(line, time.getHour(), 2).append(':');
            pad(line, time.getMinute(), 2).append(':');
            pad(line, time.getSecond(), 2).append('.');
            pad(line, time.getNano() / 1_000_000, 3).append(' ');
            String level = event.getLevel().toString();
            line.append(level).append(" ".repeat(Math.max(1, 6 - level.length())));
            line.append(abbreviate(event.getLoggerName())).append(" - ").append(event.getFormattedMessage()).append('\n');
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                line.append(ThrowableProxyUtil.asString(thrown)).append('\n');
            }
            return line.toString();
        }

        private static StringBuilder pad(StringBuilder line, int value, int width) {
            String digits = Integer.toString(value);
            return line.append("0".repeat(Math.max(0, width - digits.length()))).append(digits);
        }

        /** {@code dev.drawbridge.apply.KubernetesApplier} -> {@code d.d.a.KubernetesApplier}, as {@code %logger{20}}. */
        static String abbreviate(String name) {
            if (name.length() <= 20) {
                return name;
            }
            String[] parts = name.split("\\.");
            StringBuilder shortened = new StringBuilder();
            for (int i = 0; i < parts.length - 1; i++) {
                shortened.append(parts[i].isEmpty() ? "" : parts[i].substring(0, 1)).append('.');
            }
            return shortened.append(parts[parts.length - 1]).toString();
        }
    }
}
