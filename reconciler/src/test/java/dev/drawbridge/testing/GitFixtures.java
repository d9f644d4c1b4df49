package dev.drawbridge.testing;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Real Git repositories for tests and the demo: a working repository whose branches stand for the
 * environments, reachable by a {@code file://} URL.
 */
public final class GitFixtures implements AutoCloseable {

    public static final List<String> ENVIRONMENTS = List.of("dev", "acceptance", "production");
    private static final PersonIdent AUTHOR = new PersonIdent("Platform Team", "platform@example.com");

    private final Git git;
    private final Path dir;

    private GitFixtures(Git git, Path dir) {
        this.git = git;
        this.dir = dir;
    }

    /** An empty repository with an initial branch {@code main}. */
    public static GitFixtures init(Path dir) {
        try {
            Files.createDirectories(dir);
            Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
            return new GitFixtures(git, dir);
        } catch (GitAPIException | IOException e) {
            throw new IllegalStateException("cannot create a Git repository in " + dir, e);
        }
    }

    /** An existing repository. */
    public static GitFixtures open(Path dir) {
        try {
            return new GitFixtures(Git.open(dir.toFile()), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The demo repository: {@code manifests-example/} and {@code policies/} of the project committed on
     * {@code main}, and one branch per environment ({@code env/dev}, {@code env/acceptance},
     * {@code env/production}) at that commit.
     */
    public static GitFixtures exampleRepository(Path projectRoot, Path dir) {
        return exampleRepository(projectRoot, dir, null);
    }

    /**
     * The example repository whose policies' exception dates are moved by the days between
     * {@link #EXAMPLE_POLICIES_WRITTEN} and {@code today}, so that an exception that had 61 days left when the
     * example was written has 61 days left today, and one that had expired stays expired: the demo tells the
     * same story on any day. {@code today} null keeps the dates as written.
     */
    public static GitFixtures exampleRepository(Path projectRoot, Path dir, java.time.LocalDate today) {
        GitFixtures repo = init(dir);
        repo.copyIn(projectRoot.resolve("manifests-example"), "manifests-example");
        repo.copyIn(projectRoot.resolve("policies"), "policies");
        if (today != null) {
            repo.shiftExpiries(java.time.temporal.ChronoUnit.DAYS.between(EXAMPLE_POLICIES_WRITTEN, today));
        }
        repo.commitAll("Example GitOps repository and gate policies");
        for (String env : ENVIRONMENTS) {
            repo.branch("env/" + env);
        }
        return repo;
    }

    /** Finds the project root (the directory holding manifests-example/) from the working directory up. */
    public static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("manifests-example"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find manifests-example/ above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** The day the example policies' exception dates were written for (see {@code policies/README.md}). */
    public static final java.time.LocalDate EXAMPLE_POLICIES_WRITTEN = java.time.LocalDate.of(2026, 12, 1);

    private static final java.util.regex.Pattern EXPIRES =
            java.util.regex.Pattern.compile("(expires:\\s*)(\\d{4}-\\d{2}-\\d{2})");

    private void shiftExpiries(long days) {
        try (var files = Files.list(dir.resolve("policies"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                String text = Files.readString(file);
                java.util.regex.Matcher m = EXPIRES.matcher(text);
                StringBuilder shifted = new StringBuilder();
                while (m.find()) {
                    m.appendReplacement(shifted, m.group(1) + java.time.LocalDate.parse(m.group(2)).plusDays(days));
                }
                m.appendTail(shifted);
                Files.writeString(file, shifted.toString());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public String url() {
        return dir.toUri().toString();
    }

    public void copyIn(Path source, String target) {
        Path destination = dir.resolve(target);
        try {
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectories(destination.resolve(source.relativize(d).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    Files.copy(f, destination.resolve(source.relativize(f).toString()), StandardCopyOption.REPLACE_EXISTING);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(String path, String content) {
        try {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String commitAll(String message) {
        try {
            git.add().addFilepattern(".").call();
            git.add().addFilepattern(".").setUpdate(true).call();
            RevCommit c = git.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).setSign(false).call();
            return c.getName();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public void branch(String name) {
        try {
            git.branchCreate().setName(name).setForce(true).call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public void checkout(String name) {
        try {
            git.checkout().setName(name).call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public String head(String branch) {
        try {
            return git.getRepository().resolve("refs/heads/" + branch).getName();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        git.close();
    }
}
