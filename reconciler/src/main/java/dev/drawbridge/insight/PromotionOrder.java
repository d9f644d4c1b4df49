package dev.drawbridge.insight;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order of environments, closest to production highest: by their depth in the promotion chain
 * ({@code promote-from}: an environment that promotes from nothing has depth 0, one that promotes from it depth
 * 1, and so on), then, at the same depth, by their place in the configuration, the later higher (environments are
 * listed from dev to production). The orders are 0 to n-1.
 */
public final class PromotionOrder {

    private PromotionOrder() {
    }

    /**
     * @param promoteFrom each environment's name, in the configuration's order, with the name it promotes from
     *                    (null for none)
     * @return each environment's order, in the configuration's order
     */
    public static Map<String, Integer> of(Map<String, String> promoteFrom) {
        List<String> names = new ArrayList<>(promoteFrom.keySet());
        Map<String, Integer> depths = new LinkedHashMap<>();
        for (String env : names) {
            int depth = 0;
            String from = promoteFrom.get(env);
            // a chain can be no longer than the number of environments (a cycle is cut there)
            while (from != null && promoteFrom.containsKey(from) && depth < promoteFrom.size()) {
                depth++;
                from = promoteFrom.get(from);
            }
            depths.put(env, depth);
        }
        List<String> ranked = names.stream()
                .sorted(Comparator.comparingInt((String e) -> depths.get(e)).thenComparingInt(names::indexOf)).toList();
        Map<String, Integer> orders = new LinkedHashMap<>();
        names.forEach(e -> orders.put(e, ranked.indexOf(e)));
        return orders;
    }
}
