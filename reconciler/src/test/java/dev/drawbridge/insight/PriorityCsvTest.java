package dev.drawbridge.insight;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The priorities as CSV open in a spreadsheet: RFC 4180, read back field for field by a strict parser. */
class PriorityCsvTest {

    static final String NASTY = "rebuild \"api\", then \"web\",\nand redeploy\r\nboth";

    @Test
    void aFixWithCommasQuotesAndLineBreaksIsReadBackExactly() {
        Priority p = new Priority(1, "CVE-2026-1234", "scan.severity", null, true, NASTY,
                List.of("harbor.example.com/prod/shop/api:1.4.2", "harbor.example.com/prod/shop/web:2.0.1"),
                List.of("team-shop", "unowned"), List.of("production", "dev"), 3, true);

        List<List<String>> rows = Rfc4180.parse(PriorityCsv.render(List.of(p)));

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly("rank", "finding", "rule", "severity", "fixable", "fix", "images", "teams",
                "environments", "workloads", "blocking", "unblocks");
        assertThat(rows.get(1)).containsExactly("1", "CVE-2026-1234", "scan.severity", "", "true", NASTY,
                "harbor.example.com/prod/shop/api:1.4.2, harbor.example.com/prod/shop/web:2.0.1", "team-shop, unowned",
                "production, dev", "3", "true", "unblocks 3 workloads in production, dev");
    }

    @Test
    void theStrictParserRefusesWhatIsNotRfc4180() {
        assertThatThrownBy(() -> Rfc4180.parse("a,b\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rfc4180.parse("a,\"b\r\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rfc4180.parse("a,b\"c\r\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rfc4180.parse("a,\"b\"c\r\n")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Rfc4180.parse("a,\"b,\"\"c\"\"\"\r\n")).containsExactly(List.of("a", "b,\"c\""));
    }

    @Test
    void markdownCellsKeepTheTableIntact() {
        assertThat(InsightText.cell("a|b\nc <x>")).isEqualTo("a\\|b<br>c &lt;x&gt;");
    }
}
