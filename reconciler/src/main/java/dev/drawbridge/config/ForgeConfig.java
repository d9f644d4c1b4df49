package dev.drawbridge.config;

import dev.drawbridge.report.forge.ForgeKind;

import java.net.URI;

/**
 * {@code forge:} where commit statuses go.
 *
 * @param type              default {@link Type#NONE}
 * @param apiUrl            API root; required for gitlab and gitea, default {@code https://api.github.com} for github,
 *                          null for git-notes and none
 * @param repository        {@code owner/name} (GitLab: numeric id or path); required for github, gitlab, gitea
 * @param tokenFile         API token, read at use; required for github, gitlab, gitea
 * @param webhookSecretFile optional HMAC secret of webhooks (GitLab: the token), read at use
 * @param comments          {@code forge.comments}: keep one comment with the gate's verdict on each pull request
 *                          checked (default true; only github, gitlab and gitea have comments)
 * @param mergeMethod       {@code merge-method}: how promotion requests are merged with {@code promotion: auto-merge};
 *                          default {@link MergeMethod#MERGE}
 */
public record ForgeConfig(Type type, URI apiUrl, String repository, SecretFile tokenFile, SecretFile webhookSecretFile,
                          boolean comments, MergeMethod mergeMethod) {

    /** Whether pull requests get Drawbridge's comment: asked for, and the forge has an API for it. */
    public boolean postsComments() {
        return comments && type.hasApi();
    }

    public static final ForgeConfig NONE = new ForgeConfig(Type.NONE, null, null, null, null);

    public ForgeConfig {
        mergeMethod = mergeMethod == null ? MergeMethod.MERGE : mergeMethod;
    }

    /** A forge with comments on and promotion requests merged with a merge commit (the defaults). */
    public ForgeConfig(Type type, URI apiUrl, String repository, SecretFile tokenFile, SecretFile webhookSecretFile) {
        this(type, apiUrl, repository, tokenFile, webhookSecretFile, true, MergeMethod.MERGE);
    }

    /** {@code forge.merge-method}: a merge commit, one squashed commit, or the commits rebased onto the target. */
    public enum MergeMethod {
        MERGE("merge"), SQUASH("squash"), REBASE("rebase");

        private final String configName;

        MergeMethod(String configName) {
            this.configName = configName;
        }

        /** The spelling in the configuration file (and GitHub's {@code merge_method}). */
        public String configName() {
            return configName;
        }
    }

    public enum Type {
        GITHUB("github"), GITLAB("gitlab"), GITEA("gitea"), GIT_NOTES("git-notes"), NONE("none");

        private final String configName;

        Type(String configName) {
            this.configName = configName;
        }

        /** The spelling in the configuration file. */
        public String configName() {
            return configName;
        }

        /** Whether statuses go through an HTTP API (and need api-url, repository and token-file). */
        public boolean hasApi() {
            return this == GITHUB || this == GITLAB || this == GITEA;
        }

        /**
         * The forge whose API this type talks to.
         *
         * @throws IllegalStateException for git-notes and none, which have no API ({@link #hasApi()} is false)
         */
        public ForgeKind kind() {
            return switch (this) {
                case GITHUB -> ForgeKind.GITHUB;
                case GITLAB -> ForgeKind.GITLAB;
                case GITEA -> ForgeKind.GITEA;
                case GIT_NOTES, NONE -> throw new IllegalStateException("forge type " + configName + " has no API");
            };
        }
    }
}
