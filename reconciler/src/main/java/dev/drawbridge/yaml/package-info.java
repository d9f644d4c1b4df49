/**
 * Located YAML for the files people write by hand (the configuration and the gate policies): a strict,
 * bounded parser into a tree whose every node keeps its line ({@link dev.drawbridge.yaml.YamlNode}),
 * a typed reader over that tree ({@link dev.drawbridge.yaml.MappingReader}) that collects every
 * problem of a file as {@code FILE:LINE: PATH: message} ({@link dev.drawbridge.yaml.YamlProblem}),
 * and the value syntaxes those files share ({@link dev.drawbridge.yaml.Durations},
 * {@link dev.drawbridge.yaml.Sizes}). Depends on nothing internal; Jackson's YAML parser stays inside.
 */
package dev.drawbridge.yaml;
