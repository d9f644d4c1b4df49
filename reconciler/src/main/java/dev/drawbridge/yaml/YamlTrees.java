package dev.drawbridge.yaml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one YAML document into a located tree, strictly and within bounds: duplicate keys are errors
 * (at the second key), a second document is an error, and size, nesting and alias expansion are capped
 * so that a hostile file (a "billion laughs" alias bomb) is a clean error, not an out-of-memory or a hang.
 * Aliases are resolved by sharing the anchored node, and the expanded size of the document is counted.
 */
public final class YamlTrees {
    /** The limits of a hand-written file ({@link YamlLimits#HAND_WRITTEN}). */
    public static final YamlLimits LIMITS = YamlLimits.HAND_WRITTEN;
    /** Largest file accepted, in bytes (and code points). */
    public static final int MAX_BYTES = LIMITS.maxCodePoints();
    /** Deepest nesting of mappings and lists accepted. */
    public static final int MAX_DEPTH = LIMITS.maxDepth();
    /** Most aliases accepted in one document. */
    public static final int MAX_ALIASES = LIMITS.maxAliases();
    /** Most nodes the document may expand to once aliases are resolved. */
    public static final long MAX_EXPANDED_NODES = LIMITS.maxNodes();

    private static final QuoteAwareYamlFactory FACTORY = YamlLoader.jackson(LIMITS);

    private YamlTrees() {
    }

    /**
     * Parses {@code content} (UTF-8) as exactly one YAML document. Problems that leave a usable tree
     * (duplicate keys) go to {@code problems} and the tree is returned with the first of the duplicates;
     * problems after which nothing can be read throw at once, together with those already collected.
     */
    public static YamlNode parse(byte[] content, Problems problems) throws YamlValidationException {
        if (content.length > MAX_BYTES) {
            problems.add(0, "", "file is larger than " + Sizes.format(MAX_BYTES) + " (" + content.length + " bytes)");
            throw problems.exception();
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            problems.add(0, "", "file is not valid UTF-8");
            throw problems.exception();
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        try (QuoteAwareYamlFactory.Parser parser = (QuoteAwareYamlFactory.Parser) FACTORY.createParser(new StringReader(text))) {
            // duplicate keys are reported by the builder, with both lines, not by Jackson
            parser.disable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            Builder builder = new Builder(parser, problems);
            JsonToken first = parser.nextToken();
            if (first == null) {
                problems.add(1, "", "the file is empty (expected a YAML document)");
                throw problems.exception();
            }
            YamlNode root = builder.node(first, 0, "");
            JsonToken next = parser.nextToken();
            if (next != null) {
                problems.add(line(parser), "", "a second YAML document starts here; put exactly one document in the file");
                throw problems.exception();
            }
            return root;
        } catch (Fatal fatal) {
            problems.add(fatal.line, "", fatal.getMessage());
            throw problems.exception();
        } catch (IOException e) {
            problems.add(lineOf(e), "", "malformed YAML: " + describe(e));
            throw problems.exception();
        }
    }

    private static int line(QuoteAwareYamlFactory.Parser parser) {
        return Math.max(parser.currentTokenLocation().getLineNr(), 0);
    }

    private static int lineOf(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                return marked.getProblemMark().getLine() + 1;
            }
        }
        if (e instanceof JsonProcessingException j && j.getLocation() != null) {
            return Math.max(j.getLocation().getLineNr(), 0);
        }
        return 0;
    }

    private static String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException marked) {
                String context = marked.getContext();
                String problem = marked.getProblem();
                return (context == null ? "" : context + ", ") + (problem == null ? "syntax error" : problem);
            }
        }
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        if (message.startsWith("Expected a field name")) {
            return "keys must be plain values (complex keys are not supported)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** A problem after which the rest of the document cannot be read. */
    private static final class Fatal extends RuntimeException {
        final int line;

        Fatal(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    private static final class Builder {
        private final QuoteAwareYamlFactory.Parser parser;
        private final Problems problems;
        private final Map<String, YamlNode> anchors = new HashMap<>();
        private final Map<YamlNode, Long> weights = new IdentityHashMap<>();
        private long expanded;
        private int aliases;

        Builder(QuoteAwareYamlFactory.Parser parser, Problems problems) {
            this.parser = parser;
            this.problems = problems;
        }

        YamlNode node(JsonToken token, int depth, String path) throws IOException {
            int line = line(parser);
            if (parser.isCurrentAlias()) {
                return alias(parser.getText(), line);
            }
            String anchor = parser.anchor();
            long before = expanded;
            YamlNode node = switch (token) {
                case START_OBJECT -> mapping(line, depth + 1, path);
                case START_ARRAY -> sequence(line, depth + 1, path);
                case VALUE_NULL -> new YamlNode.Scalar(line, null, false);
                case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE, VALUE_EMBEDDED_OBJECT ->
                        new YamlNode.Scalar(line, parser.getText(), parser.scalarQuoted());
                default -> throw new Fatal(line, "unexpected YAML token " + token);
            };
            count(line, 1);
            if (anchor != null) {
                anchors.put(anchor, node);
                weights.put(node, expanded - before);
            }
            return node;
        }

        private YamlNode alias(String anchor, int line) {
            YamlNode target = anchors.get(anchor);
            if (target == null) {
                throw new Fatal(line, "alias *" + anchor + " refers to no anchor defined before it");
            }
            if (++aliases > MAX_ALIASES) {
                throw new Fatal(line, "more than " + MAX_ALIASES + " aliases; refusing to expand the document");
            }
            count(line, weights.getOrDefault(target, 1L));
            return target;
        }

        private void count(int line, long nodes) {
            expanded += nodes;
            if (expanded > MAX_EXPANDED_NODES) {
                throw new Fatal(line, "the document expands to more than " + MAX_EXPANDED_NODES
                        + " nodes (an alias bomb?); refusing to read it");
            }
        }

        private YamlNode.Mapping mapping(int line, int depth, String path) throws IOException {
            checkDepth(line, depth);
            List<YamlNode.Entry> entries = new ArrayList<>();
            Map<String, Integer> seen = new LinkedHashMap<>();
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
                if (token != JsonToken.FIELD_NAME) {
                    throw new Fatal(line(parser), "expected a key, found " + token);
                }
                String key = parser.currentName();
                int keyLine = line(parser);
                YamlNode value = node(parser.nextToken(), depth, Paths.key(path, key));
                Integer first = seen.putIfAbsent(key, keyLine);
                if (first != null) {
                    problems.add(keyLine, Paths.key(path, key), "duplicate key \"" + key + "\" (first at line " + first + ")");
                } else {
                    entries.add(new YamlNode.Entry(key, keyLine, value));
                }
            }
            return new YamlNode.Mapping(line, entries);
        }

        private YamlNode.Sequence sequence(int line, int depth, String path) throws IOException {
            checkDepth(line, depth);
            List<YamlNode> items = new ArrayList<>();
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                items.add(node(token, depth, Paths.index(path, items.size())));
            }
            return new YamlNode.Sequence(line, items);
        }

        private static void checkDepth(int line, int depth) {
            if (depth > MAX_DEPTH) {
                throw new Fatal(line, "nested deeper than " + MAX_DEPTH + " levels");
            }
        }
    }
}
