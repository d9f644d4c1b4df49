package dev.drawbridge.insight;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The order of environments by their place in the promotion chain ({@code promote-from}): an environment that
 * promotes from nothing has order 0, one that promotes from it order 1, and so on, so the end of the chain
 * (production) has the highest order and its findings rank first.
 */
public final class PromotionOrder {

    private PromotionOrder() {
    }

    /**
     * @param promoteFrom each environment's name, in the configuration's order, with the name it promotes from
     *                    (null for none)
     * @return each environment's order, in the same order
     */
    public static Map<String, Integer> of(Map<String, String> promoteFrom) {
        Map<String, Integer> orders = new LinkedHashMap<>();
        for (String env : promoteFrom.keySet()) {
            int depth = 0;
            String from = promoteFrom.get(env);
            // a chain can be no longer than the number of environments (a cycle is cut there)
            while (from != null && promoteFrom.containsKey(from) && depth < promoteFrom.size()) {
                depth++;
                from = promoteFrom.get(from);
            }
            orders.put(env, depth);
        }
        return orders;
    }
}
