package dev.drawbridge.source;

import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Makes JGit ignore the host's system and user Git configuration ({@code /etc/gitconfig},
 * {@code ~/.gitconfig}): what Drawbridge fetches must not depend on the machine it runs on (an
 * {@code url.insteadOf} there could redirect a fetch), and JGit would otherwise run the {@code git}
 * executable on first use to find the system configuration, which costs a short-lived {@code check}
 * tens of milliseconds. Repository configuration is still read, and so is JGit's own configuration
 * ({@code ~/.config/jgit/config}), where JGit keeps what it measured of the file system's timestamp
 * resolution (measuring it again on every start takes seconds).
 */
final class IsolatedGitConfig extends SystemReader.Delegate {

    private static volatile boolean installed;

    private IsolatedGitConfig(SystemReader delegate) {
        super(delegate);
    }

    static void install() {
        if (installed) {
            return;
        }
        synchronized (IsolatedGitConfig.class) {
            if (!installed) {
                SystemReader current = SystemReader.getInstance();
                if (!(current instanceof IsolatedGitConfig)) {
                    SystemReader.setInstance(new IsolatedGitConfig(current));
                }
                installed = true;
            }
        }
    }

    @Override
    public FileBasedConfig openSystemConfig(Config parent, FS fs) {
        return empty(parent, fs);
    }

    @Override
    public FileBasedConfig openUserConfig(Config parent, FS fs) {
        return empty(parent, fs);
    }

    private static FileBasedConfig empty(Config parent, FS fs) {
        return new FileBasedConfig(parent, null, fs) {
            @Override
            public void load() {
                // nothing: see the class comment
            }

            @Override
            public boolean isOutdated() {
                return false;
            }
        };
    }
}
