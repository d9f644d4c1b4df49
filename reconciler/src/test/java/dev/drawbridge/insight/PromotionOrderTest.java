package dev.drawbridge.insight;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Environments are ordered by the promotion chain, the end of the chain (production) highest. */
class PromotionOrderTest {

    @Test
    void theEndOfThePromoteFromChainIsHighestWhateverTheConfigurationsOrder() {
        Map<String, String> from = new LinkedHashMap<>();
        from.put("production", "acceptance");
        from.put("dev", null);
        from.put("acceptance", "dev");

        assertThat(PromotionOrder.of(from)).containsExactly(Map.entry("production", 2), Map.entry("dev", 0),
                Map.entry("acceptance", 1));
    }

    @Test
    void withoutAChainTheLaterEnvironmentInTheConfigurationIsHigher() {
        Map<String, String> from = new LinkedHashMap<>();
        from.put("dev", null);
        from.put("acceptance", null);
        from.put("production", null);
        from.put("preview", "dev");

        assertThat(PromotionOrder.of(from)).containsExactly(Map.entry("dev", 0), Map.entry("acceptance", 1),
                Map.entry("production", 2), Map.entry("preview", 3));
    }

    @Test
    void aCycleEndsInsteadOfLoopingForever() {
        Map<String, String> from = new LinkedHashMap<>();
        from.put("a", "b");
        from.put("b", "a");

        assertThat(PromotionOrder.of(from)).containsOnlyKeys("a", "b");
    }
}
