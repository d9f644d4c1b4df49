package dev.drawbridge.web;

/**
 * A small HTML writer: every value goes through {@link #text} (element content and attribute values
 * alike), so nothing from Git, a registry or a policy can inject markup into a page.
 */
final class Html {

    private final StringBuilder out = new StringBuilder(4096);

    /** Escapes {@code & < > " '}; null becomes the empty string. */
    static String escape(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Markup written by this code, never a value. */
    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    /** A value, escaped. */
    Html text(Object value) {
        out.append(escape(value == null ? null : value.toString()));
        return this;
    }

    /** {@code <tag class="cls">value</tag>} with the value escaped. */
    Html element(String tag, String cls, Object value) {
        out.append('<').append(tag);
        if (cls != null) {
            out.append(" class=\"").append(escape(cls)).append('"');
        }
        out.append('>');
        text(value);
        out.append("</").append(tag).append('>');
        return this;
    }

    /** A link; {@code href} is built by this code from validated names, and escaped all the same. */
    Html link(String href, Object label) {
        out.append("<a href=\"").append(escape(href)).append("\">");
        text(label);
        out.append("</a>");
        return this;
    }

    /** A {@code <tr>} of two cells: a header and a value. */
    Html row(String header, Object value) {
        out.append("<tr><th>").append(escape(header)).append("</th><td>");
        text(value);
        out.append("</td></tr>");
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
