/**
 * The configuration's keys as Spring properties ({@code drawbridge.*}; docs/configuration.md) for {@code serve}:
 * reads them from every property source Spring Boot would use (command-line arguments, Java system
 * properties, environment variables with Spring's relaxed names, {@code SPRING_APPLICATION_JSON},
 * {@code application.yaml} / {@code application.properties} and {@code --spring.config.location}) and hands
 * them on as plain {@link dev.drawbridge.yaml.Property} values, which {@link dev.drawbridge.config.ConfigLoader}
 * sets over the file and validates like the file. The only part of {@code config} with Spring in it; no
 * application context is started here.
 */
package dev.drawbridge.config.spring;
