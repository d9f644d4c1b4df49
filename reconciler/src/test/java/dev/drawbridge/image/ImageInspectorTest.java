package dev.drawbridge.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ImageInspectorTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static List<JsonNode> objects(String yaml) {
        try {
            List<JsonNode> out = new ArrayList<>();
            try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
                while (it.hasNext()) {
                    JsonNode node = it.next();
                    if (node != null && !node.isNull() && !node.isMissingNode()) {
                        out.add(node);
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, List<String>> imagesByReference(InspectResult result) {
        return result.images().stream().collect(Collectors.toMap(ImageUse::reference, ImageUse::workloads));
    }

    @Test
    void findsContainersInitContainersAndEphemeralContainersOfAPod() {
        InspectResult result = new ImageInspector().inspect(objects("""
                apiVersion: v1
                kind: Pod
                metadata: {name: debug, namespace: shop}
                spec:
                  initContainers: [{name: init, image: "busybox:1.36"}]
                  containers: [{name: app, image: "harbor.example.com/shop/api:1.4.2"}]
                  ephemeralContainers: [{name: dbg, image: "nicolaka/netshoot:v0.13"}]
                """));
        assertThat(result.errors()).isEmpty();
        assertThat(imagesByReference(result)).containsOnly(
                Map.entry("busybox:1.36", List.of("v1/Pod/shop/debug")),
                Map.entry("harbor.example.com/shop/api:1.4.2", List.of("v1/Pod/shop/debug")),
                Map.entry("nicolaka/netshoot:v0.13", List.of("v1/Pod/shop/debug")));
        assertThat(result.images()).extracting(u -> u.parsed().normalized()).contains("docker.io/library/busybox:1.36");
    }

    @Test
    void findsPodTemplatesOfEveryWorkloadKind() {
        StringBuilder yaml = new StringBuilder();
        for (String[] kind : new String[][]{{"apps/v1", "Deployment"}, {"apps/v1", "ReplicaSet"}, {"apps/v1", "StatefulSet"},
                {"apps/v1", "DaemonSet"}, {"batch/v1", "Job"}, {"v1", "ReplicationController"}}) {
            yaml.append("""
                    apiVersion: %s
                    kind: %s
                    metadata: {name: w, namespace: ns}
                    spec:
                      template:
                        spec:
                          initContainers: [{name: i, image: "init:%s"}]
                          containers: [{name: c, image: "app:%s"}]
                    ---
                    """.formatted(kind[0], kind[1], kind[1].toLowerCase(), kind[1].toLowerCase()));
        }
        InspectResult result = new ImageInspector().inspect(objects(yaml.toString()));
        assertThat(result.errors()).isEmpty();
        assertThat(imagesByReference(result)).hasSize(12)
                .containsEntry("app:deployment", List.of("apps/v1/Deployment/ns/w"))
                .containsEntry("init:daemonset", List.of("apps/v1/DaemonSet/ns/w"))
                .containsEntry("app:job", List.of("batch/v1/Job/ns/w"))
                .containsEntry("app:replicationcontroller", List.of("v1/ReplicationController/ns/w"));
    }

    @Test
    void findsCronJobAndPodTemplateImages() {
        InspectResult result = new ImageInspector().inspect(objects("""
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: backup, namespace: db}
                spec:
                  schedule: "@daily"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          containers: [{name: b, image: "harbor.example.com/ops/backup:2"}]
                ---
                apiVersion: v1
                kind: PodTemplate
                metadata: {name: tmpl, namespace: db}
                template:
                  spec:
                    containers: [{name: t, image: "harbor.example.com/ops/tmpl:1"}]
                """));
        assertThat(result.errors()).isEmpty();
        assertThat(imagesByReference(result)).containsOnly(
                Map.entry("harbor.example.com/ops/backup:2", List.of("batch/v1/CronJob/db/backup")),
                Map.entry("harbor.example.com/ops/tmpl:1", List.of("v1/PodTemplate/db/tmpl")));
    }

    @Test
    void findsImagesInCustomResourcesShapedLikeWorkloads() {
        InspectResult result = new ImageInspector().inspect(objects("""
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata: {name: api, namespace: shop}
                spec:
                  strategy: {canary: {}}
                  template:
                    spec:
                      containers: [{name: api, image: "harbor.example.com/shop/api:2.0.0"}]
                ---
                apiVersion: example.com/v1
                kind: Thing
                metadata: {name: t}
                spec:
                  template:
                    spec: {replicas: 3}
                """));
        assertThat(result.errors()).isEmpty();
        assertThat(imagesByReference(result)).containsOnly(
                Map.entry("harbor.example.com/shop/api:2.0.0", List.of("argoproj.io/v1alpha1/Rollout/shop/api")));
    }

    @Test
    void followsExtraPathsForCustomKinds() {
        ImageInspector inspector = new ImageInspector(List.of(
                new ExtraImagePath("kafka.strimzi.io/v1beta2", "Kafka", "spec.kafka.image"),
                new ExtraImagePath(null, "Platform", "spec.components[].image"),
                new ExtraImagePath(null, "Platform", "spec.sidecars.*.image")));
        InspectResult result = inspector.inspect(objects("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: Kafka
                metadata: {name: k, namespace: data}
                spec:
                  kafka: {image: "quay.io/strimzi/kafka:0.45.0-kafka-3.9.0"}
                ---
                apiVersion: other.io/v1
                kind: Kafka
                metadata: {name: not-matched}
                spec:
                  kafka: {image: "ignored:1"}
                ---
                apiVersion: example.com/v1
                kind: Platform
                metadata: {name: p}
                spec:
                  components:
                    - {name: a, image: "harbor.example.com/p/a:1"}
                    - {name: b}
                    - {name: c, image: 42}
                  sidecars:
                    log: {image: "harbor.example.com/p/log:1"}
                """));
        assertThat(imagesByReference(result)).containsOnly(
                Map.entry("quay.io/strimzi/kafka:0.45.0-kafka-3.9.0", List.of("kafka.strimzi.io/v1beta2/Kafka/data/k")),
                Map.entry("harbor.example.com/p/a:1", List.of("example.com/v1/Platform/p")),
                Map.entry("harbor.example.com/p/log:1", List.of("example.com/v1/Platform/p")));
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.workload()).isEqualTo("example.com/v1/Platform/p");
            assertThat(e.field()).isEqualTo("spec.components[2].image");
            assertThat(e.message()).contains("not a string");
        });
    }

    @Test
    void listsEveryWorkloadUsingAReferenceSortedAndOnce() {
        InspectResult result = new ImageInspector().inspect(objects("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec: {template: {spec: {containers: [{name: a, image: nginx}, {name: b, image: nginx}]}}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: shop}
                spec: {template: {spec: {containers: [{name: a, image: nginx}, {name: b, image: "docker.io/library/nginx:latest"}]}}}
                """));
        assertThat(result.images()).extracting(ImageUse::reference).containsExactly("docker.io/library/nginx:latest", "nginx");
        assertThat(imagesByReference(result).get("nginx"))
                .containsExactly("apps/v1/Deployment/shop/api", "apps/v1/Deployment/shop/web");
        assertThat(result.images()).extracting(u -> u.parsed().normalized()).containsOnly("docker.io/library/nginx:latest");
    }

    @Test
    void reportsMissingEmptyNonStringAndMalformedImagesWithWorkloadAndField() {
        InspectResult result = new ImageInspector().inspect(objects("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: shop}
                spec:
                  template:
                    spec:
                      initContainers: [{name: no-image}]
                      containers:
                        - {name: empty, image: ""}
                        - {name: number, image: 12}
                        - {name: env, image: "${IMAGE}"}
                        - {name: upper, image: "harbor.example.com/Shop/API:1"}
                        - {name: good, image: "harbor.example.com/shop/api:1"}
                """));
        assertThat(result.images()).extracting(ImageUse::reference).containsExactly("harbor.example.com/shop/api:1");
        assertThat(result.errors()).extracting(InspectError::field).containsExactly(
                "spec.template.spec.containers[0].image",
                "spec.template.spec.containers[1].image",
                "spec.template.spec.containers[2].image",
                "spec.template.spec.containers[3].image",
                "spec.template.spec.initContainers[0].image");
        assertThat(result.errors()).allSatisfy(e -> assertThat(e.workload()).isEqualTo("apps/v1/Deployment/shop/api"));
        assertThat(result.errors().get(0).message()).isEqualTo("image is empty");
        assertThat(result.errors().get(1).message()).contains("not a string");
        assertThat(result.errors().get(2).reference()).isEqualTo("${IMAGE}");
        assertThat(result.errors().get(2).message()).contains("\"${IMAGE}\"");
        assertThat(result.errors().get(3).message()).contains("lowercase");
        assertThat(result.errors().get(4).message()).isEqualTo("container \"no-image\" has no image");
        assertThat(result.hasErrors()).isTrue();
    }

    @Test
    void findsImageVolumesInEveryPlaceAPodSpecCanBe() {
        String volumes = "volumes: [{name: models, image: {reference: \"harbor.example.com/ml/%s:1\", pullPolicy: IfNotPresent}},"
                + " {name: scratch, emptyDir: {}}]";
        StringBuilder yaml = new StringBuilder("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: ns}
                spec:
                  containers: [{name: c, image: "app:1"}]
                  %s
                ---
                apiVersion: v1
                kind: PodTemplate
                metadata: {name: t, namespace: ns}
                template:
                  spec:
                    containers: [{name: c, image: "app:1"}]
                    %s
                ---
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: w, namespace: ns}
                spec:
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          containers: [{name: c, image: "app:1"}]
                          %s
                ---
                """.formatted(volumes.formatted("pod"), volumes.formatted("podtemplate"), volumes.formatted("cronjob")));
        for (String[] kind : new String[][]{{"apps/v1", "Deployment"}, {"apps/v1", "ReplicaSet"}, {"apps/v1", "StatefulSet"},
                {"apps/v1", "DaemonSet"}, {"batch/v1", "Job"}}) {
            yaml.append("""
                    apiVersion: %s
                    kind: %s
                    metadata: {name: w, namespace: ns}
                    spec:
                      template:
                        spec:
                          containers: [{name: c, image: "app:1"}]
                          %s
                    ---
                    """.formatted(kind[0], kind[1], volumes.formatted(kind[1].toLowerCase())));
        }

        InspectResult result = new ImageInspector().inspect(objects(yaml.toString()));

        assertThat(result.errors()).isEmpty();
        assertThat(imagesByReference(result)).hasSize(9)
                .containsEntry("harbor.example.com/ml/pod:1", List.of("v1/Pod/ns/p"))
                .containsEntry("harbor.example.com/ml/podtemplate:1", List.of("v1/PodTemplate/ns/t"))
                .containsEntry("harbor.example.com/ml/cronjob:1", List.of("batch/v1/CronJob/ns/w"))
                .containsEntry("harbor.example.com/ml/deployment:1", List.of("apps/v1/Deployment/ns/w"))
                .containsEntry("harbor.example.com/ml/statefulset:1", List.of("apps/v1/StatefulSet/ns/w"))
                .containsEntry("harbor.example.com/ml/daemonset:1", List.of("apps/v1/DaemonSet/ns/w"))
                .containsEntry("harbor.example.com/ml/replicaset:1", List.of("apps/v1/ReplicaSet/ns/w"))
                .containsEntry("harbor.example.com/ml/job:1", List.of("batch/v1/Job/ns/w"));
    }

    @Test
    void reportsImageVolumesWithoutAUsableReferenceWithWorkloadAndField() {
        InspectResult result = new ImageInspector().inspect(objects("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: shop}
                spec:
                  template:
                    spec:
                      containers: [{name: api, image: "harbor.example.com/shop/api:1"}]
                      volumes:
                        - {name: missing, image: {pullPolicy: Always}}
                        - {name: empty, image: {reference: ""}}
                        - {name: number, image: {reference: 12}}
                        - {name: upper, image: {reference: "harbor.example.com/Shop/Models:1"}}
                        - {name: flat, image: "harbor.example.com/shop/models:1"}
                        - {name: good, image: {reference: "harbor.example.com/shop/models:1"}}
                """));
        assertThat(result.images()).extracting(ImageUse::reference)
                .containsExactly("harbor.example.com/shop/api:1", "harbor.example.com/shop/models:1");
        assertThat(result.errors()).extracting(InspectError::field).containsExactly(
                "spec.template.spec.volumes[0].image.reference",
                "spec.template.spec.volumes[1].image.reference",
                "spec.template.spec.volumes[2].image.reference",
                "spec.template.spec.volumes[3].image.reference",
                "spec.template.spec.volumes[4].image");
        assertThat(result.errors()).allSatisfy(e -> assertThat(e.workload()).isEqualTo("apps/v1/Deployment/shop/api"));
        assertThat(result.errors().get(0).message()).isEqualTo("image volume \"missing\" has no reference");
        assertThat(result.errors().get(1).message()).isEqualTo("image is empty");
        assertThat(result.errors().get(2).message()).contains("not a string");
        assertThat(result.errors().get(3).message()).contains("lowercase");
        assertThat(result.errors().get(4).message()).isEqualTo("image volume \"flat\" is not a mapping");
    }

    @Test
    void reportsContainerListsThatAreNotLists() {
        InspectResult result = new ImageInspector().inspect(objects("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec: {containers: {name: a, image: nginx}}
                """));
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.workload()).isEqualTo("v1/Pod/p");
            assertThat(e.field()).isEqualTo("spec.containers");
        });
    }

    @Test
    void ignoresObjectsWithoutPodSpecs() {
        InspectResult result = new ImageInspector().inspect(objects("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c, namespace: shop}
                data: {image: "not-an-image-field"}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: s, namespace: shop}
                spec: {ports: [{port: 80}]}
                """));
        assertThat(result.images()).isEmpty();
        assertThat(result.errors()).isEmpty();
    }

    @Test
    void namesWorkloadsByApiVersionKindNamespaceAndName() {
        List<JsonNode> nodes = objects("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: shop}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: api, namespace: shop}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop}
                """);
        assertThat(nodes).extracting(WorkloadId::of)
                .containsExactly("apps/v1/Deployment/shop/api", "v1/Service/shop/api", "v1/Namespace/shop");
    }
}
