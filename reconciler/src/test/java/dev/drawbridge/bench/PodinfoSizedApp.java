package dev.drawbridge.bench;

import dev.drawbridge.testing.HarborStandIn;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The application of one environment in the scale and soak benchmarks: ten objects shaped like podinfo's
 * frontend and cache (Namespace, ServiceAccount, two ConfigMaps, two Deployments, two Services, a
 * HorizontalPodAutoscaler, a PodDisruptionBudget) under {@value #PATH}/ of the environment's branch, in a
 * namespace of its own. Environment {@code e} runs podinfo and redis images number {@code e % 10}: twenty
 * distinct images over all environments, pushed (scanned clean) to the registry stand-in.
 */
final class PodinfoSizedApp {

    static final String PATH = "app";
    static final int OBJECTS = 10;
    static final int IMAGE_VARIANTS = 10;
    static final String REGISTRY_HOST = "harbor.example.com";

    private PodinfoSizedApp() {
    }

    /** The twenty images (two per variant) in the registry stand-in, created five days ago, scanned an hour ago. */
    static void pushImages(HarborStandIn registry) {
        Instant now = Instant.now();
        for (int v = 0; v < IMAGE_VARIANTS; v++) {
            registry.push("bench/podinfo-" + v, "6.14." + v, now.minus(Duration.ofDays(5)), "Success", now.minusSeconds(3600));
            registry.push("bench/redis-" + v, "8.8." + v, now.minus(Duration.ofDays(5)), "Success", now.minusSeconds(3600));
        }
    }

    /** The environment's GatePolicy, as the policy repository holds it. */
    static String policy() {
        return """
                apiVersion: drawbridge.dev/v1alpha1
                kind: GatePolicy
                metadata: {name: bench}
                spec:
                  registries: {allow: ["harbor.example.com/bench/**"]}
                  image: {maxAge: 90d}
                  scan: {required: true, maxAge: 7d, blockSeverities: [CRITICAL, HIGH]}
                """;
    }

    static String namespace(String environment) {
        return "scale-" + environment;
    }

    /** The files of the application of {@code environment} (number {@code e}), path to content. */
    static Map<String, String> files(String environment, int e) {
        String ns = namespace(environment);
        int v = e % IMAGE_VARIANTS;
        Map<String, String> files = new LinkedHashMap<>();
        files.put(PATH + "/kustomization.yaml", """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namespace: %s
                labels:
                  - pairs: {app.kubernetes.io/part-of: podinfo}
                resources:
                  - namespace.yaml
                  - serviceaccount.yaml
                  - frontend.yaml
                  - cache.yaml
                configMapGenerator:
                  - name: podinfo-config
                    options: {disableNameSuffixHash: true}
                    literals: [PODINFO_UI_MESSAGE=hello from %s, PODINFO_UI_COLOR=#34577c]
                """.formatted(ns, environment));
        files.put(PATH + "/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + ns + "}\n");
        files.put(PATH + "/serviceaccount.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: podinfo}\n");
        files.put(PATH + "/frontend.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: frontend}
                spec:
                  minReadySeconds: 3
                  strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0}}
                  selector: {matchLabels: {app: frontend}}
                  template:
                    metadata:
                      labels: {app: frontend}
                      annotations: {prometheus.io/scrape: "true", prometheus.io/port: "9797"}
                    spec:
                      serviceAccountName: podinfo
                      containers:
                        - name: frontend
                          image: %s/bench/podinfo-%d:6.14.%d
                          command: [./podinfo, --port=9898, --port-metrics=9797, --level=info, --cache-server=tcp://cache:6379]
                          envFrom: [{configMapRef: {name: podinfo-config}}]
                          ports:
                            - {name: http, containerPort: 9898, protocol: TCP}
                            - {name: http-metrics, containerPort: 9797, protocol: TCP}
                          livenessProbe: {httpGet: {path: /healthz, port: 9898}, initialDelaySeconds: 1}
                          readinessProbe: {httpGet: {path: /readyz, port: 9898}, initialDelaySeconds: 1}
                          resources:
                            limits: {cpu: 2000m, memory: 512Mi}
                            requests: {cpu: 100m, memory: 64Mi}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: frontend}
                spec:
                  type: ClusterIP
                  selector: {app: frontend}
                  ports: [{name: http, port: 80, protocol: TCP, targetPort: http}]
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: frontend}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: frontend}
                  minReplicas: 2
                  maxReplicas: 4
                  metrics:
                    - type: Resource
                      resource: {name: cpu, target: {type: Utilization, averageUtilization: 99}}
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: frontend}
                spec:
                  minAvailable: 1
                  selector: {matchLabels: {app: frontend}}
                """.formatted(REGISTRY_HOST, v, v));
        files.put(PATH + "/cache.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: redis-config}
                data:
                  redis.conf: |
                    maxmemory 64mb
                    maxmemory-policy allkeys-lru
                    save ""
                    appendonly no
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: cache}
                spec:
                  selector: {matchLabels: {app: cache}}
                  template:
                    metadata: {labels: {app: cache}}
                    spec:
                      containers:
                        - name: redis
                          image: %s/bench/redis-%d:8.8.%d
                          command: [redis-server, /redis-master/redis.conf]
                          ports: [{name: redis, containerPort: 6379, protocol: TCP}]
                          resources:
                            limits: {cpu: 1000m, memory: 128Mi}
                            requests: {cpu: 100m, memory: 32Mi}
                          volumeMounts: [{mountPath: /redis-master, name: config}]
                      volumes:
                        - name: config
                          configMap:
                            name: redis-config
                            items: [{key: redis.conf, path: redis.conf}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: cache}
                spec:
                  type: ClusterIP
                  selector: {app: cache}
                  ports: [{name: redis, port: 6379, protocol: TCP, targetPort: redis}]
                """.formatted(REGISTRY_HOST, v, v));
        return files;
    }

    /** The change of the soak benchmark: the frontend's message, as a commit on its branch would change it. */
    static Map<String, String> messageChange(String environment, int e, int version) {
        Map<String, String> files = files(environment, e);
        String kustomization = files.get(PATH + "/kustomization.yaml")
                .replace("hello from " + environment, "hello from " + environment + " (change " + version + ")");
        return Map.of(PATH + "/kustomization.yaml", kustomization);
    }
}
