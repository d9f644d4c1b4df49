package dev.drawbridge.insight;

import java.util.ArrayList;
import java.util.List;

/**
 * A strict RFC 4180 parser for tests: records end with CRLF, a field is either plain (no comma, quote, CR or LF)
 * or quoted (quotes doubled inside); anything else is refused with its position.
 */
public final class Rfc4180 {

    private Rfc4180() {
    }

    public static List<List<String>> parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            StringBuilder field = new StringBuilder();
            if (text.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("unterminated quoted field at " + i);
                    }
                    char c = text.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.append(c);
                    i++;
                }
            } else {
                while (i < n && text.charAt(i) != ',' && text.charAt(i) != '\r') {
                    char c = text.charAt(i);
                    if (c == '"' || c == '\n') {
                        throw new IllegalArgumentException("a quote or line feed in an unquoted field at " + i);
                    }
                    field.append(c);
                    i++;
                }
            }
            record.add(field.toString());
            if (i >= n) {
                throw new IllegalArgumentException("the last record does not end with CRLF");
            }
            if (text.charAt(i) == ',') {
                i++;
                if (i >= n) {
                    throw new IllegalArgumentException("a comma at the end of the text");
                }
            } else if (text.startsWith("\r\n", i)) {
                i += 2;
                records.add(record);
                record = new ArrayList<>();
            } else {
                throw new IllegalArgumentException("expected a comma or CRLF after a field at " + i);
            }
        }
        return records;
    }
}
