package dev.drawbridge.config;

import dev.drawbridge.image.ExtraImagePath;
import dev.drawbridge.registry.RegistrySettings;
import dev.drawbridge.registry.TrustedKey;
import dev.drawbridge.yaml.MappingReader;
import dev.drawbridge.yaml.Problems;
import dev.drawbridge.yaml.Property;
import dev.drawbridge.yaml.PropertyOrigin;
import dev.drawbridge.yaml.PropertyOverlay;
import dev.drawbridge.yaml.YamlNode;
import dev.drawbridge.yaml.YamlTrees;
import dev.drawbridge.yaml.YamlValidationException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads the configuration file (docs/configuration.md). Every unknown key, missing required key and bad value is
 * reported, all at once, as {@code FILE:LINE: PATH: message}; nothing is guessed.
 *
 * <p>Relative file paths ({@code password-file}, {@code ssh-key-file}, {@code ssh-key-passphrase-file},
 * {@code known-hosts-file}, {@code token-file}, {@code webhook-secret-file},
 * {@code notifications[].url-file}, {@code cluster.kubeconfig}, {@code registries[].signed-by},
 * {@code registries[].ca-file}) are resolved against the directory of the configuration file, and
 * {@code ~/} against the home directory. Secret files are not read here (they are read at use), so a
 * missing one is reported when first needed; the public keys of {@code signed-by} and the certificates of
 * {@code ca-file} are not secret and are read and checked here ({@link RegistryFiles}). Credentials of {@code git} (password and ssh key) are reused
 * for {@code policies} only when the policies live on the same host, so a token is never sent elsewhere.
 *
 * <p>The same keys can be given as properties ({@code drawbridge.git.url}, {@code drawbridge.environments[0].name};
 * {@link #load(Path, List)}): they are set over the file's keys and the result is validated once, so a
 * property is held to the same rules, and a problem about it names the property and where it came from.
 * Relative paths given by properties resolve against the working directory.
 */
public final class ConfigLoader {
    /** The prefix of the configuration's keys as properties (Spring properties, docs/configuration.md). */
    public static final String PROPERTY_PREFIX = "drawbridge.";
    /** Where the top of the configuration is when there is no file, only properties. */
    static final PropertyOrigin PROPERTIES_ONLY = new PropertyOrigin("drawbridge.* properties", 0, PROPERTY_PREFIX, false);

    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(1);
    static final URI DEFAULT_DASHBOARD = URI.create("http://localhost:8080");
    static final URI GITHUB_API = URI.create("https://api.github.com");

    /** Reads and validates {@code file}; problems name it as given. */
    public DrawbridgeConfig load(Path file) throws YamlValidationException {
        return load(file, List.of());
    }

    /**
     * Reads the file, when there is one, sets the properties over its keys (highest precedence first; see
     * {@link PropertyOverlay}) and validates the result once. Without a file the properties alone must make
     * a complete configuration.
     *
     * @param file       the configuration file, or null
     * @param properties the configuration's keys below {@link #PROPERTY_PREFIX}
     */
    public DrawbridgeConfig load(Path file, List<Property> properties) throws YamlValidationException {
        if (file != null) {
            byte[] content = read(file);
            Path base = file.toAbsolutePath().getParent();
            Problems problems = new Problems(file.toString());
            YamlNode root = YamlTrees.parse(content, problems);
            String source = properties.isEmpty() ? file.toString() : file + " and drawbridge.* properties";
            return validate(source, PropertyOverlay.apply(root, properties, problems), problems,
                    new LocalFiles(base == null ? Path.of("").toAbsolutePath() : base));
        }
        Problems problems = new Problems(PROPERTIES_ONLY.source());
        YamlNode root = PropertyOverlay.apply(new YamlNode.Mapping(0, List.of(), PROPERTIES_ONLY), properties, problems);
        return validate(PROPERTIES_ONLY.source(), root, problems, new LocalFiles(Path.of("").toAbsolutePath()));
    }

    /** Validates {@code content}; relative paths resolve against {@code baseDirectory}. */
    public DrawbridgeConfig load(String displayName, byte[] content, Path baseDirectory) throws YamlValidationException {
        Problems problems = new Problems(displayName);
        YamlNode root = YamlTrees.parse(content, problems);
        return validate(displayName, root, problems, new LocalFiles(baseDirectory));
    }

    private static byte[] read(Path file) throws YamlValidationException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw failure(file.toString(), "no such file");
        } catch (IOException e) {
            throw failure(file.toString(), "cannot read the file (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static DrawbridgeConfig validate(String source, YamlNode root, Problems problems, LocalFiles files)
            throws YamlValidationException {
        MappingReader top = MappingReader.root(root, problems);

        GitConfig git = git(top, files);
        MappingReader policiesReader = top.mapping("policies");
        PoliciesConfig policies = policies(policiesReader, git, files);
        List<RegistryConfig> registries = registries(top, files);
        ForgeConfig forge = forge(top.mapping("forge"), files);
        URI dashboard = top.value("dashboard-url", Urls::http, DEFAULT_DASHBOARD);
        MappingReader cacheReader = top.mapping("cache");
        CacheConfig cache = new CacheConfig(cacheReader.duration("ttl", Duration.ofMinutes(5)));
        cacheReader.finish();
        RenderConfig render = render(top.mapping("render"));
        InspectConfig inspect = inspect(top.mapping("inspect"));
        List<EnvironmentConfig> environments = new EnvironmentsReader(top, files,
                git == null ? DEFAULT_POLL_INTERVAL : git.pollInterval()).read();
        List<NotificationConfig> notifications = new NotificationsReader(top, files,
                environments.stream().map(e -> e.name().value()).toList()).read();
        PolicySourceRule.check(policiesReader, policies, git, environments);
        LeasesConfig leases = top.has("leases") ? new LeasesReader(top.mapping("leases"), files, environments).read() : null;
        DriftConfig drift = drift(top.mapping("drift"));
        top.finish();
        problems.throwIfAny();
        return new DrawbridgeConfig(source, git, policies, registries, forge, dashboard, cache, render, inspect,
                environments, notifications, leases, drift);
    }

    private static YamlValidationException failure(String file, String message) {
        Problems problems = new Problems(file);
        problems.add(0, "", message);
        return problems.exception();
    }

    private static GitConfig git(MappingReader top, LocalFiles files) {
        if (!top.has("git")) {
            top.problem("git", "is required (with the url of the repository of the environment branches)");
            return null;
        }
        MappingReader git = top.mapping("git");
        String url = git.requiredValue("url", Urls::git);
        String username = git.string("username");
        SecretFile password = files.secret(git, "password-file");
        Duration poll = git.duration("poll-interval", DEFAULT_POLL_INTERVAL);
        SshConfig ssh = ssh(git, url, files);
        git.finish();
        return url == null ? null : new GitConfig(url, username, password, poll, ssh);
    }

    private static PoliciesConfig policies(MappingReader policies, GitConfig git, LocalFiles files) {
        String url = policies.value("url", Urls::git, null);
        String branch = policies.value("branch", PathRules::branch, "main");
        String path = policies.value("path", PathRules::repositoryPath, "policies");
        String username = policies.string("username");
        SecretFile password = files.secret(policies, "password-file");
        SshConfig ssh = ssh(policies, url == null && git != null ? git.url() : url, files);
        policies.finish();
        if (git == null) {
            return null;
        }
        boolean sameHost = url == null || Urls.gitHost(url).equals(Urls.gitHost(git.url()));
        if (sameHost && !policies.has("username") && !policies.has("password-file")) {
            username = git.username();
            password = git.passwordFile();
        }
        // a key goes only where git's credentials go; trusting git's known hosts is safe anywhere
        Path keyFile = ssh.keyFile();
        SecretFile passphrase = ssh.keyPassphraseFile();
        if (sameHost && !policies.has("ssh-key-file") && !policies.has("ssh-key-passphrase-file")) {
            keyFile = git.ssh().keyFile();
            passphrase = git.ssh().keyPassphraseFile();
        }
        Path knownHosts = ssh.knownHostsFile() != null ? ssh.knownHostsFile() : git.ssh().knownHostsFile();
        return new PoliciesConfig(url == null ? git.url() : url, branch, path, username, password,
                new SshConfig(keyFile, passphrase, knownHosts));
    }

    /** {@code ssh-key-file}, {@code ssh-key-passphrase-file}, {@code known-hosts-file}: only with an ssh URL. */
    private static SshConfig ssh(MappingReader reader, String url, LocalFiles files) {
        Path keyFile = files.file(reader, "ssh-key-file");
        SecretFile passphrase = files.secret(reader, "ssh-key-passphrase-file");
        Path knownHosts = files.file(reader, "known-hosts-file");
        if (url != null && !Urls.isSsh(url)) {
            for (String key : List.of("ssh-key-file", "ssh-key-passphrase-file", "known-hosts-file")) {
                if (reader.has(key)) {
                    reader.problem(key, "is only used with an ssh URL (ssh://user@host/path or user@host:path), "
                            + "not with " + Urls.scheme(url));
                }
            }
        }
        return new SshConfig(keyFile, passphrase, knownHosts);
    }

    private static List<RegistryConfig> registries(MappingReader top, LocalFiles files) {
        List<RegistryConfig> registries = new ArrayList<>();
        Map<String, String> hostLines = new HashMap<>();
        for (MappingReader r : top.mappings("registries")) {
            String host = r.requiredValue("host", PathRules::host);
            String typeName = r.oneOf("type", List.of("harbor", "oci"), null);
            if (!r.has("type")) {
                r.problem("type", "is required (harbor or oci)");
            }
            boolean insecure = r.bool("insecure", false);
            URI url = r.value("url", Urls::http, null);
            String username = r.string("username");
            SecretFile password = files.secret(r, "password-file");
            int concurrency = r.integer("concurrency", 8, 1, 256);
            Duration timeout = r.duration("timeout", Duration.ofSeconds(10));
            List<TrustedKey> signedBy = RegistryFiles.signedBy(r, files, typeName);
            List<X509Certificate> authorities = RegistryFiles.caFile(r, files, url);
            r.finish();
            if (url == null && host != null) {
                url = URI.create("https://" + (host.equals("docker.io") ? "registry-1.docker.io" : host));
            }
            boolean transportAllowed = url == null || RegistryFiles.transportAllowed(r, url, insecure);
            if (host == null || typeName == null || !transportAllowed) {
                continue;
            }
            String first = hostLines.putIfAbsent(host.toLowerCase(Locale.ROOT), r.location("host"));
            if (first != null) {
                r.problem("host", "duplicate registry host \"" + host + "\" (first at " + first + ")");
            }
            registries.add(new RegistryConfig(host, RegistrySettings.Type.valueOf(typeName.toUpperCase(Locale.ROOT)),
                    url, username, password, insecure, concurrency, timeout, signedBy, authorities));
        }
        return registries;
    }

    private static ForgeConfig forge(MappingReader forge, LocalFiles files) {
        List<String> types = Arrays.stream(ForgeConfig.Type.values()).map(ForgeConfig.Type::configName).toList();
        String typeName = forge.oneOf("type", types, "none");
        ForgeConfig.Type type = ForgeConfig.Type.valueOf(typeName.toUpperCase(Locale.ROOT).replace('-', '_'));
        URI apiUrl = forge.value("api-url", Urls::http, type == ForgeConfig.Type.GITHUB ? GITHUB_API : null);
        String repository = forge.value("repository", text -> ForgeRepositories.check(type, text), null);
        SecretFile token = files.secret(forge, "token-file");
        SecretFile webhookSecret = files.secret(forge, "webhook-secret-file");
        boolean comments = forge.bool("comments", true); // accepted and ignored for git-notes and none
        List<String> methods = Arrays.stream(ForgeConfig.MergeMethod.values()).map(ForgeConfig.MergeMethod::configName).toList();
        String methodName = forge.oneOf("merge-method", methods, "merge");
        ForgeConfig.MergeMethod mergeMethod = methodName == null ? ForgeConfig.MergeMethod.MERGE
                : ForgeConfig.MergeMethod.valueOf(methodName.toUpperCase(Locale.ROOT));
        if (type.hasApi()) {
            if (apiUrl == null) {
                forge.problem("api-url", "is required for forge type " + typeName + " (the API root, e.g. "
                        + (type == ForgeConfig.Type.GITLAB ? "https://gitlab.example.com/api/v4)" : "https://gitea.example.com/api/v1)"));
            }
            if (!forge.has("repository")) {
                forge.problem("repository", "is required for forge type " + typeName);
            }
            if (!forge.has("token-file")) {
                forge.problem("token-file", "is required for forge type " + typeName + " (a file holding the API token)");
            }
        } else {
            for (String key : List.of("api-url", "repository", "token-file")) {
                if (forge.has(key)) {
                    forge.problem(key, "is not used with forge type " + typeName);
                }
            }
        }
        forge.finish();
        return new ForgeConfig(type, apiUrl, repository, token, webhookSecret, comments, mergeMethod);
    }

    private static RenderConfig render(MappingReader render) {
        int problemsBefore = render.problems().count();
        List<String> command = render.strings("command", List.of());
        if (render.has("command") && command.isEmpty() && render.problems().count() == problemsBefore) {
            render.problem("command", "must name a program, e.g. [kustomize, build]");
        }
        for (int i = 0; i < command.size(); i++) {
            if (command.get(i).isBlank()) {
                render.problem("command", i, "must not be empty");
            }
        }
        Duration timeout = render.duration("timeout", Duration.ofSeconds(60));
        long maxOutput = render.size("max-output", 64L << 20);
        if (maxOutput < 1) {
            render.problem("max-output", "must be greater than 0");
        }
        render.finish();
        return new RenderConfig(command, timeout, maxOutput);
    }

    /** The longest field manager name the API server accepts. */
    static final int MAX_FIELD_MANAGER = 128;

    private static DriftConfig drift(MappingReader drift) {
        List<String> managers = drift.strings("ignore-managers", DriftConfig.DEFAULT_IGNORE_MANAGERS);
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < managers.size(); i++) {
            String manager = managers.get(i);
            if (manager.isBlank()) {
                drift.problem("ignore-managers", i, "must not be empty");
            } else if (manager.length() > MAX_FIELD_MANAGER) {
                drift.problem("ignore-managers", i, "is longer than " + MAX_FIELD_MANAGER
                        + " characters (the API server's limit for a field manager)");
            } else if (!manager.codePoints().allMatch(c -> !Character.isISOControl(c) && Character.isDefined(c))) {
                drift.problem("ignore-managers", i, "must consist of printable characters");
            } else if (manager.equals("drawbridge")) {
                drift.problem("ignore-managers", i, "drawbridge is Drawbridge's own field manager");
            } else if (seen.putIfAbsent(manager, i) != null) {
                drift.problem("ignore-managers", i, "duplicate field manager \"" + manager + "\" (first at index "
                        + seen.get(manager) + ")");
            }
        }
        drift.finish();
        return new DriftConfig(managers);
    }

    private static InspectConfig inspect(MappingReader inspect) {
        List<ExtraImagePath> paths = new ArrayList<>();
        for (MappingReader p : inspect.mappings("extra-image-paths")) {
            String apiVersion = p.string("api-version");
            String kind = p.requiredString("kind");
            String path = p.requiredString("path");
            p.finish();
            if (kind != null && path != null) {
                try {
                    paths.add(new ExtraImagePath(apiVersion, kind, path));
                } catch (IllegalArgumentException e) {
                    p.problem("path", e.getMessage());
                }
            }
        }
        inspect.finish();
        return new InspectConfig(paths);
    }
}
