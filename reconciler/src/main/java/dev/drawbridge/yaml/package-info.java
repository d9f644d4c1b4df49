/**
 * Located YAML for the files people write by hand (the configuration and the gate policies): a strict,
 * bounded parser into a tree whose every node keeps its line ({@link dev.drawbridge.yaml.YamlNode}),
 * a typed reader over that tree ({@link dev.drawbridge.yaml.MappingReader}) that collects every
 * problem of a file as {@code FILE:LINE: PATH: message} ({@link dev.drawbridge.yaml.YamlProblem}),
 * and the value syntaxes those files share ({@link dev.drawbridge.yaml.Durations},
 * {@link dev.drawbridge.yaml.Sizes}). Properties such as {@code drawbridge.environments[0].interval=5m}
 * can be set over a tree ({@link dev.drawbridge.yaml.PropertyOverlay}) and are then read and reported like
 * the file, naming the property and where it came from ({@link dev.drawbridge.yaml.PropertyOrigin}).
 * Every YAML parser of the project is set up here ({@link dev.drawbridge.yaml.YamlLoader}) within named
 * bounds ({@link dev.drawbridge.yaml.YamlLimits}): those of a hand-written file, of a kustomization, or of
 * rendered manifests. Depends on nothing internal.
 */
package dev.drawbridge.yaml;
