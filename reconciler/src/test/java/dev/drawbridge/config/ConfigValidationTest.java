package dev.drawbridge.config;

import dev.drawbridge.yaml.YamlProblem;
import dev.drawbridge.yaml.YamlValidationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every bad configuration is refused at start with file, line and key path. */
class ConfigValidationTest {

    private static final String GIT = "git: {url: \"https://git.example.com/deploy.git\"}\n";
    private static final String ENVS = """
            environments:
              - name: dev
                branch: env/dev
                path: overlays/dev
            """;

    private static List<String> problems(String yaml) {
        YamlValidationException e = catchThrowableOfType(YamlValidationException.class, () -> new ConfigLoader()
                .load("drawbridge.yaml", yaml.getBytes(StandardCharsets.UTF_8), Path.of("/etc/drawbridge")));
        assertThat(e).as("expected the configuration to be refused").isNotNull();
        return e.problems().stream().map(YamlProblem::toString).toList();
    }

    @Test
    void refusesBadIgnoredFieldManagers() {
        assertThat(problems(GIT + ENVS + """
                drift:
                  ignore-managers: [kube-controller-manager, "", drawbridge, kube-controller-manager, "%s", "a\\u0007b"]
                  ignore: [kubelet]
                """.formatted("m".repeat(129)))).containsExactly(
                "drawbridge.yaml:7: drift.ignore-managers[1]: must not be empty",
                "drawbridge.yaml:7: drift.ignore-managers[2]: drawbridge is Drawbridge's own field manager",
                "drawbridge.yaml:7: drift.ignore-managers[3]: duplicate field manager \"kube-controller-manager\" (first at index 0)",
                "drawbridge.yaml:7: drift.ignore-managers[4]: is longer than 128 characters (the API server's limit for a field manager)",
                "drawbridge.yaml:7: drift.ignore-managers[5]: must consist of printable characters",
                "drawbridge.yaml:8: drift.ignore: unknown key (expected one of: ignore-managers)");
        assertThat(problems(GIT + ENVS + "drift:\n  ignore-managers: kubelet\n")).singleElement().asString()
                .startsWith("drawbridge.yaml:7: drift.ignore-managers: ");
    }

    @Test
    void refusesAnUnknownTopLevelKey() {
        assertThat(problems(GIT + ENVS + "dashboard_url: https://x.example.com\nwebhooks: {}\n")).containsExactly(
                "drawbridge.yaml:6: dashboard_url: unknown key (did you mean \"dashboard-url\"?)",
                "drawbridge.yaml:7: webhooks: unknown key (expected one of: git, policies, registries, forge, "
                        + "dashboard-url, cache, render, inspect, environments, notifications, leases, drift)");
    }

    @Test
    void refusesUnknownNestedKeysWithTheirPath() {
        assertThat(problems("""
                git:
                  url: https://git.example.com/deploy.git
                  pollInterval: 1m
                environments:
                  - name: dev
                    branch: env/dev
                    path: overlays/dev
                    cluster: {kubeconfig: k, namespace: x}
                    promoteFrom: acceptance
                """)).containsExactly(
                "drawbridge.yaml:3: git.pollInterval: unknown key (did you mean \"poll-interval\"?)",
                "drawbridge.yaml:8: environments[0].cluster.namespace: unknown key (expected one of: kubeconfig, context)",
                "drawbridge.yaml:9: environments[0].promoteFrom: unknown key (did you mean \"promote-from\"?)");
    }

    @Test
    void refusesAMissingGitUrl() {
        assertThat(problems("git:\n  username: bot\n" + ENVS)).containsExactly("drawbridge.yaml:2: git.url: is required");
        assertThat(problems(ENVS)).containsExactly(
                "drawbridge.yaml:1: git: is required (with the url of the repository of the environment branches)");
    }

    @Test
    void refusesMissingOrEmptyEnvironments() {
        assertThat(problems(GIT)).containsExactly("drawbridge.yaml:1: environments: is required (at least one environment)");
        assertThat(problems(GIT + "environments: []\n"))
                .containsExactly("drawbridge.yaml:2: environments: is required (at least one environment)");
    }

    @Test
    void refusesAnEnvironmentWithoutBranchOrPath() {
        assertThat(problems(GIT + "environments:\n  - name: dev\n")).containsExactly(
                "drawbridge.yaml:3: environments[0].branch: is required",
                "drawbridge.yaml:3: environments[0].path: is required");
    }

    @Test
    void refusesADuplicateEnvironmentName() {
        assertThat(problems(GIT + ENVS + "  - {name: dev, branch: env/dev2, path: overlays/dev2}\n")).containsExactly(
                "drawbridge.yaml:6: environments[1].name: duplicate environment name \"dev\" (first at line 3)");
    }

    @Test
    void refusesBadDurations() {
        assertThat(problems("git: {url: \"https://g.example.com/d.git\", poll-interval: 1 minute}\n"
                + ENVS + "    interval: 0\n    health-timeout: 5\n")).containsExactly(
                "drawbridge.yaml:1: git.poll-interval: invalid duration \"1 minute\" (expected e.g. 30s, 15m, 12h, 7d)",
                "drawbridge.yaml:6: environments[0].interval: invalid duration \"0\": must be greater than 0",
                "drawbridge.yaml:7: environments[0].health-timeout: invalid duration \"5\" (expected e.g. 30s, 15m, 12h, 7d)");
    }

    @Test
    void refusesBadTypes() {
        assertThat(problems(GIT + ENVS + """
                registries:
                  - host: harbor.example.com
                    type: quay
                forge: {type: bitbucket}
                render: {command: kustomize build, max-output: 10MB}
                """)).containsExactly(
                "drawbridge.yaml:8: registries[0].type: expected one of harbor, oci, got \"quay\"",
                "drawbridge.yaml:9: forge.type: expected one of github, gitlab, gitea, git-notes, none, got \"bitbucket\"",
                "drawbridge.yaml:10: render.command: expected a list, got a value",
                "drawbridge.yaml:10: render.max-output: invalid size \"10MB\" (expected bytes or e.g. 512Ki, 64Mi, 1Gi)");
    }

    @Test
    void refusesABadBoolean() {
        assertThat(problems(GIT + ENVS + "  - name: prod\n    branch: env/prod\n    path: overlays/prod\n    prune: yes please\n"))
                .containsExactly("drawbridge.yaml:9: environments[1].prune: expected true or false, got \"yes please\"");
    }

    @Test
    void refusesPromotionFromAnUnknownEnvironment() {
        assertThat(problems(GIT + ENVS + "    promote-from: acceptanse\n  - {name: acceptance, branch: env/a, path: a}\n"))
                .containsExactly("drawbridge.yaml:6: environments[0].promote-from: unknown environment \"acceptanse\" "
                        + "(did you mean \"acceptance\"?) (environments: dev, acceptance)");
    }

    @Test
    void refusesAPromotionCycle() {
        assertThat(problems(GIT + """
                environments:
                  - {name: dev, branch: env/dev, path: dev, promote-from: production}
                  - {name: acceptance, branch: env/acceptance, path: acceptance, promote-from: dev}
                  - {name: production, branch: env/production, path: production, promote-from: acceptance}
                """)).containsExactly(
                "drawbridge.yaml:3: environments[0].promote-from: promotion cycle: dev <- production <- acceptance <- dev");
        assertThat(problems(GIT + ENVS + "    promote-from: dev\n")).containsExactly(
                "drawbridge.yaml:6: environments[0].promote-from: an environment cannot promote from itself");
    }

    @Test
    void refusesPathsThatLeaveTheRepository() {
        assertThat(problems(GIT + """
                policies: {path: /etc/policies}
                environments:
                  - {name: dev, branch: env/dev, path: overlays/../../secrets}
                """)).containsExactly(
                "drawbridge.yaml:2: policies.path: must be a path relative to the repository root, got \"/etc/policies\"",
                "drawbridge.yaml:4: environments[0].path: must stay inside the repository (no \"..\"), got \"overlays/../../secrets\"");
    }

    @Test
    void refusesBadUrls() {
        assertThat(problems("""
                git: {url: "ftp://git.example.com/deploy.git"}
                policies: {url: "https://bot:hunter2@git.example.com/p.git"}
                dashboard-url: drawbridge.example.com
                registries:
                  - {host: "harbor.example.com/prod", type: harbor, url: "http://harbor.example.com"}
                """ + ENVS)).containsExactly(
                "drawbridge.yaml:1: git.url: invalid Git URL \"ftp://git.example.com/deploy.git\" (expected https://, "
                        + "http://, ssh://, git://, file://, user@host:path or an absolute path)",
                "drawbridge.yaml:2: policies.url: the Git URL must not contain a password; put it in password-file",
                "drawbridge.yaml:3: dashboard-url: invalid URL \"drawbridge.example.com\" (expected e.g. https://host.example.com)",
                "drawbridge.yaml:5: registries[0].host: invalid registry host \"harbor.example.com/prod\" "
                        + "(expected a host name with optional port, e.g. harbor.example.com or 127.0.0.1:5000)",
                "drawbridge.yaml:5: registries[0].url: plain http is not allowed for harbor.example.com (only for a "
                        + "loopback registry with insecure: true); use https");
    }

    @Test
    void refusesAPolicySourceThatIsAnEnvironmentBranchNamingPoliciesBranch() {
        // the default policy source (git.url, main) is the branch an environment deploys
        assertThat(problems(GIT + "environments:\n  - {name: dev, branch: main, path: overlays/dev}\n")).containsExactly(
                "drawbridge.yaml:1: policies.branch: the policies would be read from branch main of "
                        + "https://git.example.com/deploy.git, which environment dev deploys: whoever may push to it could "
                        + "change the policy that gates it. Keep the policies on a branch no environment deploys "
                        + "(policies.branch, e.g. main) or in a repository of their own (policies.url)");
        // the same repository over ssh, a trailing .git left out, the branch as a full ref
        assertThat(problems(GIT + "policies: {url: \"git@git.example.com:deploy\", branch: refs/heads/env/dev}\n" + ENVS))
                .singleElement().asString().startsWith("drawbridge.yaml:2: policies.branch: the policies would be read "
                        + "from branch refs/heads/env/dev of git@git.example.com:deploy, which environment dev deploys");
    }

    @Test
    void acceptsAPolicySourceOnAnotherBranchOrInAnotherRepository() throws Exception {
        ConfigLoader loader = new ConfigLoader();
        for (String policies : List.of("", "policies: {branch: security}\n",
                "policies: {url: \"https://git.example.com/security/policies.git\", branch: env/dev}\n")) {
            DrawbridgeConfig config = loader.load("drawbridge.yaml", (GIT + policies + ENVS).getBytes(StandardCharsets.UTF_8),
                    Path.of("/etc/drawbridge"));
            assertThat(config.environments()).hasSize(1);
        }
    }

    @Test
    void refusesCredentialsInGitUrlsWithoutRepeatingThem() {
        List<String> problems = problems("""
                git: {url: "https://ghp_Secr3tToken@github.com/platform/deploy.git"}
                policies: {url: "htps://bot:hunter2@git.example.com/p.git"}
                dashboard-url: "https://admin:pa55word@drawbridge.example.com"
                """ + ENVS);
        assertThat(problems).containsExactly(
                "drawbridge.yaml:1: git.url: the Git URL must not contain credentials (the part before @, a user name or "
                        + "a token): put the user name in username and the token in password-file",
                "drawbridge.yaml:2: policies.url: invalid Git URL \"htps://***@git.example.com/p.git\" (expected https://, "
                        + "http://, ssh://, git://, file://, user@host:path or an absolute path)",
                "drawbridge.yaml:3: dashboard-url: the URL must not contain credentials; use the *-file keys");
        assertThat(String.join("\n", problems)).doesNotContain("ghp_Secr3tToken", "hunter2", "pa55word", "bot:");
        assertThat(problems("git: {url: \"https://x-access-token:ghp_Secr3t@github.com/p/d.git\"}\n" + ENVS))
                .containsExactly("drawbridge.yaml:1: git.url: the Git URL must not contain a password; put it in password-file");
    }

    @Test
    void refusesAPromotionWithoutPromoteFromOrWithABadValue() {
        assertThat(problems(GIT + ENVS + "    promotion: pull-request\n")).containsExactly(
                "drawbridge.yaml:6: environments[0].promotion: needs promote-from (the environment whose applied"
                        + " revisions are promoted here)");
        assertThat(problems(GIT + ENVS + "  - {name: prod, branch: env/prod, path: prod, promote-from: dev, promotion: automerge}\n"))
                .singleElement().asString().startsWith("drawbridge.yaml:6: environments[1].promotion: expected one of none,"
                        + " pull-request, auto-merge, got \"automerge\" (did you mean \"auto-merge\"?)");
    }

    @Test
    void refusesAnUnknownMergeMethod() {
        assertThat(problems(GIT + ENVS + "forge: {type: github, repository: a/b, token-file: t, merge-method: fast-forward}\n"))
                .singleElement().asString().startsWith("drawbridge.yaml:6: forge.merge-method: expected one of merge, squash, rebase");
    }

    @Test
    void refusesMalformedYaml() {
        assertThat(problems(GIT + "environments:\n  - name: dev\n   branch: env/dev\n")).singleElement().asString()
                .startsWith("drawbridge.yaml:4: malformed YAML");
    }

    @Test
    void refusesAnApiForgeWithoutRepositoryOrToken() {
        assertThat(problems(GIT + ENVS + "forge:\n  type: github\n")).containsExactly(
                "drawbridge.yaml:7: forge.repository: is required for forge type github",
                "drawbridge.yaml:7: forge.token-file: is required for forge type github (a file holding the API token)");
        assertThat(problems(GIT + ENVS + "forge: {type: gitea, repository: a/b, token-file: t}\n")).containsExactly(
                "drawbridge.yaml:6: forge.api-url: is required for forge type gitea (the API root, e.g. https://gitea.example.com/api/v1)");
        assertThat(problems(GIT + ENVS + "forge: {type: git-notes, repository: a/b}\n")).containsExactly(
                "drawbridge.yaml:6: forge.repository: is not used with forge type git-notes");
    }

    @Test
    void refusesDuplicateRegistryHostsAndDuplicateKeys() {
        assertThat(problems(GIT + ENVS + """
                registries:
                  - {host: harbor.example.com, type: harbor}
                  - {host: harbor.example.com, type: oci}
                cache: {ttl: 1m, ttl: 2m}
                """)).containsExactly(
                "drawbridge.yaml:8: registries[1].host: duplicate registry host \"harbor.example.com\" (first at line 7)",
                "drawbridge.yaml:9: cache.ttl: duplicate key \"ttl\" (first at line 9)");
    }

    @Test
    void refusesBadNamesBranchesAndPlatforms() {
        assertThat(problems(GIT + """
                environments:
                  - name: Prod_1
                    branch: "env/prod..x"
                    path: prod
                    platforms: [linux, linux/amd64]
                """)).containsExactly(
                "drawbridge.yaml:3: environments[0].name: invalid environment name \"Prod_1\" "
                        + "(expected lower-case letters, digits and '-', at most 63, e.g. production)",
                "drawbridge.yaml:4: environments[0].branch: invalid branch name \"env/prod..x\" (expected e.g. env/production)",
                "drawbridge.yaml:6: environments[0].platforms[0]: invalid platform \"linux\" (expected os/arch[/variant], e.g. linux/amd64)");
    }

    @Test
    void refusesNotificationsWithoutNameTypeOrUrlFile() {
        assertThat(problems(GIT + ENVS + """
                notifications:
                  - {type: slack, url-file: slack-url}
                  - {name: audit, url-file: audit-url}
                  - {name: shop, type: teams}
                """)).containsExactly(
                "drawbridge.yaml:7: notifications[0].name: is required",
                "drawbridge.yaml:8: notifications[1].type: is required (slack or webhook)",
                "drawbridge.yaml:9: notifications[2].type: expected one of slack, webhook, got \"teams\"",
                "drawbridge.yaml:9: notifications[2].url-file: is required (a file holding the webhook URL: it is a secret)");
    }

    @Test
    void refusesAnInlineUrlAndUnknownNotificationKeys() {
        assertThat(problems(GIT + ENVS + """
                notifications:
                  - name: shop
                    type: slack
                    url-file: slack-url
                    url: https://hooks.slack.com/services/T000/B000/XXXX
                    owner: team-shop
                """)).containsExactly(
                "drawbridge.yaml:10: notifications[0].url: unknown key (expected one of: name, type, url-file, owners, environments)",
                "drawbridge.yaml:11: notifications[0].owner: unknown key (did you mean \"owners\"?)");
    }

    @Test
    void refusesDuplicateNotificationNamesBadOwnersAndUnknownEnvironments() {
        assertThat(problems(GIT + ENVS + """
                notifications:
                  - {name: shop, type: slack, url-file: a, owners: [team-shop, "team shop"], environments: [prod]}
                  - {name: shop, type: webhook, url-file: b, owners: team-shop}
                """)).containsExactly(
                "drawbridge.yaml:7: notifications[0].owners[1]: invalid owner \"team shop\" (a value of the label "
                        + "drawbridge.dev/owner: letters, digits, '-', '_', '.', at most 63, e.g. team-shop)",
                "drawbridge.yaml:7: notifications[0].environments[0]: unknown environment \"prod\" (environments: dev)",
                "drawbridge.yaml:8: notifications[1].owners: expected a list, got a value",
                "drawbridge.yaml:8: notifications[1].name: duplicate notification name \"shop\" (first at line 7)");
    }

    @Test
    void refusesSshKeysForAUrlThatIsNotSsh() {
        assertThat(problems("""
                git:
                  url: https://git.example.com/deploy.git
                  ssh-key-file: /run/secrets/key
                  known-hosts-file: /etc/ssh/known_hosts
                policies:
                  url: file:///srv/policies.git
                  ssh-key-passphrase-file: /run/secrets/passphrase
                  sshKeyFile: /run/secrets/key
                """ + ENVS)).containsExactly(
                "drawbridge.yaml:3: git.ssh-key-file: is only used with an ssh URL (ssh://user@host/path or "
                        + "user@host:path), not with https://",
                "drawbridge.yaml:4: git.known-hosts-file: is only used with an ssh URL (ssh://user@host/path or "
                        + "user@host:path), not with https://",
                "drawbridge.yaml:7: policies.ssh-key-passphrase-file: is only used with an ssh URL "
                        + "(ssh://user@host/path or user@host:path), not with file://",
                "drawbridge.yaml:8: policies.sshKeyFile: unknown key (did you mean \"ssh-key-file\"?)");
    }

    @Test
    void forgeCommentsIsTrueOrFalseDefaultsToTrueAndIsIgnoredWithoutAnApi() throws Exception {
        assertThat(problems(GIT + ENVS + "forge: {type: git-notes, comments: sometimes}\n")).singleElement()
                .asString().contains("forge.comments", "expected true or false", "sometimes");
        ConfigLoader loader = new ConfigLoader();
        String github = "forge: {type: github, repository: platform/deploy, token-file: /etc/token%s}\n";
        DrawbridgeConfig on = loader.load("drawbridge.yaml", (GIT + ENVS + github.formatted("")).getBytes(StandardCharsets.UTF_8),
                Path.of("/etc/drawbridge"));
        DrawbridgeConfig off = loader.load("drawbridge.yaml", (GIT + ENVS + github.formatted(", comments: false"))
                .getBytes(StandardCharsets.UTF_8), Path.of("/etc/drawbridge"));
        DrawbridgeConfig notes = loader.load("drawbridge.yaml", (GIT + ENVS + "forge: {type: git-notes, comments: true}\n")
                .getBytes(StandardCharsets.UTF_8), Path.of("/etc/drawbridge"));
        assertThat(on.forge().comments()).isTrue();
        assertThat(on.forge().postsComments()).isTrue();
        assertThat(off.forge().postsComments()).isFalse();
        assertThat(notes.forge().postsComments()).as("git-notes has no comments").isFalse();
    }
}
