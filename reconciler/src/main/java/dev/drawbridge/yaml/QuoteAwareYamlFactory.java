package dev.drawbridge.yaml;

import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

import java.io.IOException;
import java.io.Reader;

/**
 * Jackson's YAML factory, whose parser also tells whether the current scalar was quoted: Jackson hides
 * the scalar style, and {@code "true"} (text) must not be read as {@code true} (a boolean).
 */
final class QuoteAwareYamlFactory extends YAMLFactory {

    QuoteAwareYamlFactory(LoaderOptions options) {
        super(YAMLFactory.builder().loaderOptions(options));
    }

    @Override
    protected YAMLParser _createParser(Reader reader, IOContext context) throws IOException {
        return new Parser(context, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, reader);
    }

    static final class Parser extends YAMLParser {
        Parser(IOContext context, int parserFeatures, int formatFeatures, LoaderOptions options,
               com.fasterxml.jackson.core.ObjectCodec codec, Reader reader) {
            super(context, parserFeatures, formatFeatures, options, codec, reader);
        }

        /** Whether the current scalar token was written in quotes or as a block scalar. */
        boolean scalarQuoted() {
            return _lastEvent instanceof ScalarEvent scalar && !scalar.isPlain();
        }

        /** The anchor ({@code &name}) of the current node, or null; Jackson drops it for scalars. */
        String anchor() {
            return _lastEvent instanceof NodeEvent node ? node.getAnchor() : null;
        }
    }
}
