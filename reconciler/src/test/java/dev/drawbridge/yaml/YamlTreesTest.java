package dev.drawbridge.yaml;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class YamlTreesTest {

    private static YamlNode parse(String yaml) throws YamlValidationException {
        Problems problems = new Problems("f.yaml");
        YamlNode root = YamlTrees.parse(yaml.getBytes(StandardCharsets.UTF_8), problems);
        problems.throwIfAny();
        return root;
    }

    private static String problemsOf(String yaml) {
        try {
            parse(yaml);
        } catch (YamlValidationException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a problem");
    }

    @Test
    void keepsTheLineOfEveryKeyAndValue() throws Exception {
        YamlNode.Mapping root = (YamlNode.Mapping) parse("""
                # comment
                a: 1
                b:
                  - x
                  - "y"
                c: {d: ~}
                """);
        assertThat(root.entries()).extracting(YamlNode.Entry::key).containsExactly("a", "b", "c");
        assertThat(root.entry("b").orElseThrow().keyLine()).isEqualTo(3);
        YamlNode.Sequence b = (YamlNode.Sequence) root.get("b").orElseThrow();
        assertThat(b.items()).extracting(YamlNode::line).containsExactly(4, 5);
        assertThat(((YamlNode.Scalar) b.items().get(0)).quoted()).isFalse();
        assertThat(((YamlNode.Scalar) b.items().get(1)).quoted()).isTrue();
        YamlNode.Mapping c = (YamlNode.Mapping) root.get("c").orElseThrow();
        assertThat(((YamlNode.Scalar) c.get("d").orElseThrow()).isNull()).isTrue();
    }

    @Test
    void keepsScalarTextAsWritten() throws Exception {
        YamlNode.Mapping root = (YamlNode.Mapping) parse("n: 010\nt: true\nq: \"true\"\nd: 2027-01-31\n");
        assertThat(((YamlNode.Scalar) root.get("n").orElseThrow()).text()).isEqualTo("010");
        assertThat(((YamlNode.Scalar) root.get("t").orElseThrow()).quoted()).isFalse();
        assertThat(((YamlNode.Scalar) root.get("q").orElseThrow()).quoted()).isTrue();
        assertThat(((YamlNode.Scalar) root.get("d").orElseThrow()).text()).isEqualTo("2027-01-31");
    }

    @Test
    void reportsADuplicateKeyAtTheSecondKey() {
        assertThat(problemsOf("a:\n  b: 1\n  c: 2\n  b: 3\n"))
                .isEqualTo("f.yaml:4: a.b: duplicate key \"b\" (first at line 2)");
    }

    @Test
    void reportsEveryDuplicateKey() {
        assertThat(problemsOf("a: 1\na: 2\nb: 1\nb: 2\n").lines()).hasSize(2);
    }

    @Test
    void reportsMalformedYamlWithItsLine() {
        assertThat(problemsOf("a: 1\nb: [1, 2\nc: 3\n")).startsWith("f.yaml:").contains("malformed YAML");
        assertThat(problemsOf("a:\n  b: 1\n c: 2\n")).startsWith("f.yaml:3: malformed YAML");
    }

    @Test
    void refusesComplexKeys() {
        assertThat(problemsOf("? [a]\n: 1\n")).isEqualTo(
                "f.yaml:1: malformed YAML: keys must be plain values (complex keys are not supported)");
    }

    @Test
    void refusesAnEmptyFile() {
        assertThat(problemsOf("")).isEqualTo("f.yaml:1: the file is empty (expected a YAML document)");
        assertThat(problemsOf("# only a comment\n")).contains("the file is empty");
    }

    @Test
    void refusesASecondDocument() {
        assertThat(problemsOf("a: 1\n---\nb: 2\n")).isEqualTo(
                "f.yaml:3: a second YAML document starts here; put exactly one document in the file");
    }

    @Test
    void resolvesAliasesToTheAnchoredNode() throws Exception {
        YamlNode.Mapping root = (YamlNode.Mapping) parse("a: &x [1, 2]\nb: *x\n");
        assertThat(root.get("b").orElseThrow()).isSameAs(root.get("a").orElseThrow());
    }

    @Test
    void refusesAnAliasToAnUnknownAnchor() {
        assertThat(problemsOf("a: *nope\n")).contains("alias *nope refers to no anchor");
    }

    @Test
    @Timeout(5)
    void refusesAnAliasBombCleanly() {
        String bomb = """
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                """;
        assertThat(problemsOf(bomb)).contains("an alias bomb?");
    }

    @Test
    void refusesTooManyAliases() {
        StringBuilder yaml = new StringBuilder("a: &a 1\nl:\n");
        for (int i = 0; i < 60; i++) {
            yaml.append("  - *a\n");
        }
        assertThat(problemsOf(yaml.toString())).contains("more than 50 aliases");
    }

    @Test
    @Timeout(5)
    void refusesDeepNesting() {
        String deep = "a: " + "[".repeat(200) + "]".repeat(200) + "\n";
        assertThat(problemsOf(deep)).startsWith("f.yaml:1:").containsAnyOf("nested deeper", "malformed YAML");
    }

    @Test
    void refusesAFileLargerThanTheLimit() {
        String big = "a: \"" + "x".repeat(YamlTrees.MAX_BYTES) + "\"\n";
        assertThat(problemsOf(big)).contains("file is larger than 4Mi");
    }

    @Test
    void refusesInvalidUtf8() {
        Problems problems = new Problems("f.yaml");
        assertThatThrownBy(() -> YamlTrees.parse(new byte[] {'a', ':', ' ', (byte) 0xC3}, problems))
                .hasMessage("f.yaml: file is not valid UTF-8");
    }
}
