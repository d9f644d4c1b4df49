package dev.drawbridge.config.spring;

import dev.drawbridge.config.ConfigLoader;
import dev.drawbridge.yaml.Property;
import dev.drawbridge.yaml.PropertyOrigin;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.env.SpringApplicationJsonEnvironmentPostProcessor;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.Resource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the {@code drawbridge.*} properties the way Spring Boot prepares its environment, without
 * starting an application: so {@code serve} validates them, and a bad one stops it with exit code 2 and
 * one line per problem, before any server starts.
 *
 * <p>Sources, highest precedence first, as in Spring Boot: the command line ({@code --drawbridge.git.url=...}),
 * {@code SPRING_APPLICATION_JSON}, Java system properties, environment variables ({@code DRAWBRIDGE_GIT_URL},
 * {@code DRAWBRIDGE_ENVIRONMENTS_0_PROMOTEFROM}: Spring's relaxed names, list indices as {@code _0_}), then
 * config data ({@code application.yaml} / {@code application.properties} in the working directory or its
 * {@code config/}, {@code --spring.config.location}, {@code spring.config.import}, profiles). Names are
 * handed on in Spring's canonical form (lower case, dashes kept, indices as numbers); placeholders
 * ({@code ${HOME}}) are resolved as Spring resolves them.
 *
 * <p>Kubernetes puts service links into every pod's environment ({@code DRAWBRIDGE_SERVICE_HOST},
 * {@code DRAWBRIDGE_PORT_80_TCP}, ... for a Service named {@code drawbridge}); those variables are not
 * configuration and are skipped.
 */
public final class SpringProperties {

    private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of(
            ConfigLoader.PROPERTY_PREFIX.substring(0, ConfigLoader.PROPERTY_PREFIX.length() - 1));
    private static final Pattern SERVICE_LINK = Pattern.compile("DRAWBRIDGE_(SERVICE_HOST|SERVICE_PORT(_\\w+)?|PORT(_\\w+)?)");
    private static final Pattern SENSITIVE = Pattern.compile("(?i).*(password|passwd|token|secret|credential).*");

    private SpringProperties() {
    }

    /** Spring's environment could not be read: a config file that does not parse, a location that does not exist. */
    public static final class UnreadableException extends Exception {
        UnreadableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The {@code drawbridge.*} properties of this process, given its Spring arguments ({@code --name=value}). */
    public static List<Property> read(List<String> args) throws UnreadableException {
        return read(args, System.getenv());
    }

    /**
     * The {@code drawbridge.*} properties, highest precedence first.
     *
     * @param args                 command-line arguments in Spring's form, {@code --name=value}
     * @param environmentVariables the process environment (tests pass their own)
     */
    public static List<Property> read(List<String> args, Map<String, ?> environmentVariables) throws UnreadableException {
        StandardEnvironment environment = new StandardEnvironment();
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> variables = (Map<String, Object>) environmentVariables;
            environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
            if (!args.isEmpty()) {
                environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args.toArray(String[]::new)));
            }
            new SpringApplicationJsonEnvironmentPostProcessor().postProcessEnvironment(environment, null);
            ConfigDataEnvironmentPostProcessor.applyTo(environment);
        } catch (RuntimeException e) {
            throw new UnreadableException(firstLine(e), e);
        }
        List<Property> properties = new ArrayList<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            ConfigurationPropertySource configSource = ConfigurationPropertySource.from(source);
            if (!(configSource instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            List<ConfigurationPropertyName> names = iterable.stream().filter(PREFIX::isAncestorOf).toList();
            for (ConfigurationPropertyName name : names) {
                ConfigurationProperty property = iterable.getConfigurationProperty(name);
                if (property == null) {
                    continue;
                }
                String original = originalName(property.getOrigin(), name);
                if (isEnvironment(source) && SERVICE_LINK.matcher(original).matches()) {
                    continue;
                }
                boolean sensitive = SENSITIVE.matcher(name.toString()).matches();
                Object value = property.getValue();
                String text = value == null ? "" : environment.resolvePlaceholders(String.valueOf(value));
                properties.add(new Property(keys(name), text, origin(source, original, property.getOrigin(), sensitive)));
            }
        }
        return properties;
    }

    private static List<Property.Key> keys(ConfigurationPropertyName name) {
        List<Property.Key> keys = new ArrayList<>();
        for (int i = PREFIX.getNumberOfElements(); i < name.getNumberOfElements(); i++) {
            String original = name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL);
            if (name.isNumericIndex(i) && original.length() <= 9) {
                keys.add(Property.Key.index(Integer.parseInt(original)));
            } else {
                keys.add(Property.Key.name(name.getElement(i, ConfigurationPropertyName.Form.DASHED)));
            }
        }
        return keys;
    }

    private static boolean isEnvironment(PropertySource<?> source) {
        return source instanceof SystemEnvironmentPropertySource;
    }

    private static String originalName(Origin origin, ConfigurationPropertyName name) {
        for (Origin o = origin; o != null; o = o.getParent()) {
            if (o instanceof PropertySourceOrigin p) {
                return p.getPropertyName();
            }
            if (o instanceof SystemEnvironmentOrigin s) {
                return s.getProperty();
            }
        }
        return name.toString();
    }

    /** Where a property came from, in the words of a problem line. */
    private static PropertyOrigin origin(PropertySource<?> source, String original, Origin origin, boolean sensitive) {
        String prefix = ConfigLoader.PROPERTY_PREFIX;
        for (Origin o = origin; o != null; o = next(o)) {
            if (o instanceof TextResourceOrigin text && text.getResource() != null) {
                int line = text.getLocation() == null ? 0 : text.getLocation().getLine() + 1;
                return new PropertyOrigin(describe(text.getResource()), line, prefix, sensitive);
            }
        }
        String name = source.getName();
        String where;
        if (name.equals(SimpleCommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME)) {
            where = "command line";
        } else if (isEnvironment(source)) {
            where = "environment variable " + original;
        } else if (name.equals(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME)) {
            where = "Java system properties";
        } else if (name.equals(SpringApplicationJsonEnvironmentPostProcessor.SPRING_APPLICATION_JSON_PROPERTY)) {
            where = "SPRING_APPLICATION_JSON";
        } else {
            where = "property source \"" + name + "\"";
        }
        return new PropertyOrigin(where, 0, prefix, sensitive);
    }

    private static Origin next(Origin o) {
        return o instanceof PropertySourceOrigin p && p.getOrigin() != null ? p.getOrigin() : o.getParent();
    }

    private static String describe(Resource resource) {
        try {
            if (resource.isFile()) {
                return resource.getFile().getPath();
            }
        } catch (IOException | RuntimeException ignored) {
            // described below
        }
        return resource.getDescription();
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
