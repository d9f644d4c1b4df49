package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.apply.testing.TestObjects;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderTest extends MockClusterTest {

    /** Listed custom resource first, namespace last. */
    List<ObjectNode> widgets = TestObjects.load("/apply/widgets.yaml");

    @Test
    void appliesNamespacesAndCrdsBeforeWhatNeedsThem() throws Exception {
        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), widgets));

        assertThat(changes.entries()).extracting(ChangeSetEntry::id).containsExactly(
                "Namespace/gadgets", "CustomResourceDefinition/widgets.example.com",
                "Deployment/gadgets/widget-controller", "Widget/gadgets/blue");
        assertThat(server.applies()).extracting(ApplyingMockServer.Call::path).containsExactly(
                "/api/v1/namespaces/gadgets",
                "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com",
                "/apis/apps/v1/namespaces/gadgets/deployments/widget-controller",
                "/apis/example.com/v1/namespaces/gadgets/widgets/blue",
                "/api/v1/namespaces/drawbridge-system",
                "/api/v1/namespaces/drawbridge-system/configmaps/drawbridge-inventory-dev");
        assertThat(server.client().genericKubernetesResources("example.com/v1", "Widget").inNamespace("gadgets")
                .withName("blue").get()).isNotNull();
    }

    @Test
    void waitsForTheCrdToBeEstablishedBeforeApplyingItsObjects() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), widgets));

        List<String> requests = server.requests().stream().map(call -> call.method() + " " + call.path()).toList();
        int crdApplied = requests.indexOf("PATCH /apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com");
        int crdRead = requests.lastIndexOf("GET /apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com");
        int widgetApplied = requests.indexOf("PATCH /apis/example.com/v1/namespaces/gadgets/widgets/blue");
        assertThat(crdApplied).isLessThan(crdRead);
        assertThat(crdRead).isLessThan(widgetApplied);
    }

    @Test
    void failsNamingTheCrdThatIsNeverEstablishedAndAppliesNothingAfterIt() {
        server.failWhen(call -> call.method().equals("GET") && call.path().endsWith("/customresourcedefinitions/widgets.example.com")
                && server.applies().stream().anyMatch(a -> a.path().endsWith("widgets.example.com")), 500, Integer.MAX_VALUE);

        assertThatThrownBy(() -> applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), widgets)))
                .isInstanceOfSatisfying(ApplyException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ApplyException.Reason.APPLY_FAILED);
                    assertThat(e.getMessage()).isEqualTo("CustomResourceDefinition/widgets.example.com: not established after 1m");
                    assertThat(e.changeSet().withAction(Action.SKIPPED)).extracting(ChangeSetEntry::id)
                            .containsExactly("Deployment/gadgets/widget-controller", "Widget/gadgets/blue");
                });
        assertThat(server.applies()).extracting(ApplyingMockServer.Call::path).noneMatch(path -> path.contains("widgets/blue"));
    }

    @Test
    void deletesInReverseOrder() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), widgets));
        server.clearRequests();

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), List.of()).withAllowEmpty(true));

        assertThat(changes.entries()).extracting(ChangeSetEntry::id).containsExactly(
                "Widget/gadgets/blue", "Deployment/gadgets/widget-controller",
                "CustomResourceDefinition/widgets.example.com", "Namespace/gadgets");
        assertThat(server.writes()).filteredOn(call -> call.method().equals("DELETE"))
                .extracting(ApplyingMockServer.Call::path).containsExactly(
                        "/apis/example.com/v1/namespaces/gadgets/widgets/blue",
                        "/apis/apps/v1/namespaces/gadgets/deployments/widget-controller",
                        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com",
                        "/api/v1/namespaces/gadgets");
    }
}
