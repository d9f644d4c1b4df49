package dev.drawbridge.apply;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The applying order of many objects, sorted with each one's place computed once, is the order of the comparator. */
class ApplyOrderTest {

    @Test
    void inApplyOrderSortsAsTheComparatorDoes() {
        List<String> kinds = List.of("Namespace", "CustomResourceDefinition", "ConfigMap", "Secret", "Service",
                "Deployment", "Widget", "ServiceAccount", "ClusterRole", "Ingress");
        List<String> apiVersions = List.of("v1", "apps/v1", "apiextensions.k8s.io/v1", "example.com/v1", "example.com/v2");
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            List<ObjectRef> refs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                refs.add(new ObjectRef(apiVersions.get(random.nextInt(apiVersions.size())), kinds.get(random.nextInt(kinds.size())),
                        random.nextInt(4) == 0 ? null : "ns-" + random.nextInt(3), "o-" + random.nextInt(40)));
            }
            Collections.shuffle(refs, random);
            List<ObjectRef> expected = refs.stream().sorted(ApplyOrder.APPLY).toList();

            assertThat(ApplyOrder.inApplyOrder(refs, Function.identity())).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void refsAreEqualByTheirFourPartsAndHashAlike() {
        ObjectRef one = new ObjectRef("apps/v1", "Deployment", "shop", "api");
        assertThat(one).isEqualTo(new ObjectRef("apps/v1", "Deployment", "shop", "api"))
                .hasSameHashCodeAs(new ObjectRef("apps/v1", "Deployment", "shop", "api"));
        assertThat(one).isNotEqualTo(new ObjectRef("apps/v2", "Deployment", "shop", "api"))
                .isNotEqualTo(new ObjectRef("apps/v1", "StatefulSet", "shop", "api"))
                .isNotEqualTo(new ObjectRef("apps/v1", "Deployment", null, "api"))
                .isNotEqualTo(new ObjectRef("apps/v1", "Deployment", "shop", "web"));
        assertThat(new ObjectRef("v1", "Namespace", "", "shop")).isEqualTo(new ObjectRef("v1", "Namespace", null, "shop"))
                .hasSameHashCodeAs(new ObjectRef("v1", "Namespace", null, "shop"));
    }
}
