package dev.drawbridge.yaml;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MappingReaderTest {

    private final Problems problems = new Problems("c.yaml");

    private MappingReader read(String yaml) throws YamlValidationException {
        return MappingReader.root(YamlTrees.parse(yaml.getBytes(StandardCharsets.UTF_8), problems), problems);
    }

    private List<String> reported() {
        return problems.isEmpty() ? List.of()
                : problems.exception().problems().stream().map(YamlProblem::toString).toList();
    }

    @Test
    void readsTypedValuesAndDefaults() throws Exception {
        MappingReader r = read("""
                name: shop
                on: true
                every: 1h30m
                n: 8
                tags: [a, b]
                nested: {x: y}
                """);
        assertThat(r.requiredString("name")).isEqualTo("shop");
        assertThat(r.bool("on", false)).isTrue();
        assertThat(r.bool("off", true)).isTrue();
        assertThat(r.duration("every", null)).isEqualTo(Duration.ofMinutes(90));
        assertThat(r.duration("absent", Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(r.integer("n", 1, 1, 64)).isEqualTo(8);
        assertThat(r.strings("tags", null)).containsExactly("a", "b");
        MappingReader nested = r.mapping("nested");
        assertThat(nested.string("x")).isEqualTo("y");
        nested.finish();
        r.finish();
        assertThat(reported()).isEmpty();
    }

    @Test
    void reportsEveryBadValueWithPathAndLine() throws Exception {
        MappingReader r = read("""
                on: yes please
                every: 7 days
                n: 900
                tags: a
                list:
                  - ok
                  - {x: 1}
                """);
        r.bool("on", false);
        r.duration("every", null);
        r.integer("n", 1, 1, 64);
        r.strings("tags", null);
        r.strings("list", null);
        r.requiredString("name");
        r.finish();
        assertThat(reported()).containsExactly(
                "c.yaml:1: on: expected true or false, got \"yes please\"",
                "c.yaml:1: name: is required",
                "c.yaml:2: every: invalid duration \"7 days\" (expected e.g. 30s, 15m, 12h, 7d)",
                "c.yaml:3: n: expected a number from 1 to 64, got 900",
                "c.yaml:4: tags: expected a list, got a value",
                "c.yaml:7: list[1]: expected a single value, got a mapping");
    }

    @Test
    void reportsUnknownKeysWithTheClosestKnownKey() throws Exception {
        MappingReader r = read("""
                spec:
                  requireDigst: true
                  poll_interval: 1m
                  zzz: 1
                """);
        MappingReader spec = r.mapping("spec");
        spec.bool("requireDigest", false);
        spec.duration("poll-interval", null);
        spec.finish();
        r.finish();
        assertThat(reported()).containsExactly(
                "c.yaml:2: spec.requireDigst: unknown key (did you mean \"requireDigest\"?)",
                "c.yaml:3: spec.poll_interval: unknown key (did you mean \"poll-interval\"?)",
                "c.yaml:4: spec.zzz: unknown key (expected one of: requireDigest, poll-interval)");
    }

    @Test
    void suggestsTheRightSpellingOfAWord() throws Exception {
        MappingReader r = read("mode: enforced\n");
        assertThat(r.oneOf("mode", List.of("enforce", "warn"), "enforce")).isEqualTo("enforce");
        assertThat(reported()).containsExactly(
                "c.yaml:1: mode: expected one of enforce, warn, got \"enforced\" (did you mean \"enforce\"?)");
    }

    @Test
    void refusesMergeKeysWithAnExplanation() throws Exception {
        MappingReader r = read("base: &b {x: 1}\nthing:\n  <<: *b\n  y: 2\n");
        r.mapping("base").string("x");
        MappingReader thing = r.mapping("thing");
        thing.string("y");
        thing.finish();
        assertThat(reported()).containsExactly("c.yaml:3: thing.<<: merge keys (<<) are not supported; write the keys out");
    }

    @Test
    void refusesADocumentThatIsNotAMapping() throws Exception {
        read("- a\n- b\n").finish();
        assertThat(reported()).containsExactly("c.yaml:1: expected a mapping of keys at the top of the file, got a list");
    }
}
