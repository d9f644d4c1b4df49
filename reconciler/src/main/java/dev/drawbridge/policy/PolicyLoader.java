package dev.drawbridge.policy;

import dev.drawbridge.image.ImageReference;
import dev.drawbridge.image.Severity;
import dev.drawbridge.yaml.MappingReader;
import dev.drawbridge.yaml.Problems;
import dev.drawbridge.yaml.Suggestions;
import dev.drawbridge.yaml.YamlNode;
import dev.drawbridge.yaml.YamlTrees;
import dev.drawbridge.yaml.YamlValidationException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads and validates one {@code GatePolicy} file (docs/policies.md). Strict: unknown keys, missing
 * required keys and bad values anywhere are errors, all reported at once, each with file, line and key
 * path. A policy that does not validate is never replaced by "no policy": the caller blocks the
 * environment with the problems.
 *
 * <p>Decisions beyond §4: a missing {@code spec.registries.allow} is an error while an explicitly empty
 * list is allowed (and allows no registry); severities are upper case exactly as in §4;
 * {@code exceptions[].images}, when given, must list at least one image (leave it out to mean all);
 * {@code metadata} may also carry {@code labels} and {@code annotations}, which are not used.
 */
public final class PolicyLoader {
    public static final String API_VERSION = "drawbridge.dev/v1alpha1";
    public static final String KIND = "GatePolicy";

    private static final Set<Severity> DEFAULT_BLOCK = Set.of(Severity.CRITICAL, Severity.HIGH);
    private static final Pattern VULNERABILITY_ID = Pattern.compile("[A-Za-z0-9._:-]+");
    private static final List<String> SEVERITY_NAMES = Arrays.stream(Severity.values()).map(Enum::name).toList();

    /** Reads {@code file}; problems name it as {@code displayName}, e.g. {@code policies/production.yaml}. */
    public GatePolicy load(Path file, String displayName) throws YamlValidationException, IOException {
        return load(displayName, Files.readAllBytes(file));
    }

    /** Validates {@code content}; problems name the file as {@code displayName}. */
    public GatePolicy load(String displayName, byte[] content) throws YamlValidationException {
        Problems problems = new Problems(displayName);
        YamlNode root = YamlTrees.parse(content, problems);
        MappingReader top = MappingReader.root(root, problems);

        String apiVersion = top.requiredString("apiVersion");
        if (apiVersion != null && !apiVersion.equals(API_VERSION)) {
            top.problem("apiVersion", "expected \"" + API_VERSION + "\", got \"" + apiVersion + "\"");
        }
        String kind = top.requiredString("kind");
        if (kind != null && !kind.equals(KIND)) {
            top.problem("kind", "expected \"" + KIND + "\", got \"" + kind + "\"");
        }
        String name = metadataName(top);
        GatePolicy policy = null;
        if (!top.has("spec")) {
            top.problem("spec", "is required");
        } else {
            policy = spec(top.mapping("spec"), name, displayName);
        }
        top.finish();
        problems.throwIfAny();
        return policy;
    }

    private static String metadataName(MappingReader top) {
        if (!top.has("metadata")) {
            top.problem("metadata", "is required (with a name)");
            return null;
        }
        MappingReader metadata = top.mapping("metadata");
        String name = metadata.requiredString("name");
        stringMap(metadata.mapping("labels"));
        stringMap(metadata.mapping("annotations"));
        metadata.finish();
        return name;
    }

    private static void stringMap(MappingReader map) {
        // free-form keys: read every one as a string so finish() has nothing to report
        if (map.present()) {
            map.keys().forEach(map::string);
        }
    }

    private static GatePolicy spec(MappingReader spec, String name, String source) {
        GatePolicy.Mode mode = spec.oneOf("mode", List.of("enforce", "warn"), "enforce").equals("warn")
                ? GatePolicy.Mode.WARN : GatePolicy.Mode.ENFORCE;

        MappingReader registries = spec.mapping("registries");
        List<RegistryGlob> allowed = registries.list("allow", RegistryGlob::of, null);
        if (allowed == null && !registries.has("allow")) {
            spec.problems().add(registries.line(), registries.path("allow"),
                    "is required (list the registries images may come from)");
        }
        registries.finish();

        MappingReader image = spec.mapping("image");
        ImageRules imageRules = new ImageRules(image.bool("requireDigest", false), image.duration("maxAge", null));
        image.finish();

        MappingReader scan = spec.mapping("scan");
        boolean scanRequired = scan.bool("required", true);
        Duration scanMaxAge = scan.duration("maxAge", null);
        List<Severity> block = scan.list("blockSeverities", PolicyLoader::severity, null);
        Set<Severity> blockSet = block == null ? DEFAULT_BLOCK : Set.copyOf(block);
        List<Severity> blockUnfixed = scan.list("blockUnfixedSeverities", PolicyLoader::severity, null);
        ScanRules scanRules = new ScanRules(scanRequired, scanMaxAge, blockSet,
                blockUnfixed == null ? blockSet : Set.copyOf(blockUnfixed));
        scan.finish();

        MappingReader sbom = spec.mapping("sbom");
        boolean sbomRequired = sbom.bool("required", false);
        sbom.finish();

        MappingReader manifests = spec.mapping("manifests");
        boolean requireNetworkPolicy = manifests.bool("requireNetworkPolicy", false);
        manifests.finish();

        List<VulnerabilityException> exceptions = exceptions(spec);
        Duration warnBefore = spec.duration("exceptionsWarnBefore", null);
        spec.finish();
        if (!spec.problems().isEmpty()) {
            return null;
        }
        return new GatePolicy(name, source, mode, allowed, imageRules, scanRules, sbomRequired,
                requireNetworkPolicy, exceptions, warnBefore);
    }

    private static List<VulnerabilityException> exceptions(MappingReader spec) {
        List<VulnerabilityException> exceptions = new ArrayList<>();
        Map<String, Integer> idLines = new HashMap<>();
        for (MappingReader e : spec.mappings("exceptions")) {
            String id = e.requiredString("id");
            if (id != null) {
                Integer first = idLines.putIfAbsent(id, e.line("id"));
                if (first != null) {
                    e.problem("id", "duplicate exception id \"" + id + "\" (first at line " + first + ")");
                }
            }
            String vulnerability = e.requiredValue("vulnerability", PolicyLoader::vulnerabilityId);
            int problemsBefore = e.problems().count();
            List<ImageReference> images = e.list("images", ImageReference::parse, List.of());
            if (e.has("images") && images.isEmpty() && e.problems().count() == problemsBefore) {
                e.problem("images", "must list at least one image; leave images out to apply to every image");
            }
            String reason = e.requiredString("reason");
            String owner = e.requiredString("owner");
            LocalDate expires = e.requiredValue("expires", PolicyLoader::date);
            e.finish();
            if (id != null && vulnerability != null && reason != null && owner != null && expires != null) {
                exceptions.add(new VulnerabilityException(id, vulnerability, images, reason, owner, expires));
            }
        }
        return exceptions;
    }

    private static Severity severity(String text) {
        if (SEVERITY_NAMES.contains(text)) {
            return Severity.valueOf(text);
        }
        throw new IllegalArgumentException("unknown severity \"" + text + "\"" + Suggestions.hint(text, SEVERITY_NAMES)
                + " (expected one of " + String.join(", ", SEVERITY_NAMES) + ")");
    }

    private static String vulnerabilityId(String text) {
        if (!VULNERABILITY_ID.matcher(text).matches()) {
            throw new IllegalArgumentException("invalid vulnerability id \"" + text
                    + "\" (expected e.g. CVE-2026-1234 or GHSA-xxxx-xxxx-xxxx)");
        }
        return text;
    }

    private static LocalDate date(String text) {
        try {
            return LocalDate.parse(text); // ISO_LOCAL_DATE resolves strictly: 2027-02-30 is refused
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("invalid date \"" + text + "\" (expected YYYY-MM-DD, e.g. 2027-01-31)");
        }
    }
}
