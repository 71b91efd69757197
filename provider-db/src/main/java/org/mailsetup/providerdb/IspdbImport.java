package org.mailsetup.providerdb;

import java.util.List;
import org.mailsetup.config.ClientConfig;

/**
 * What reading a local ISPDB checkout produced: an index of every accepted file, and per file whether
 * it was accepted (with what the parser dropped) or rejected (with the reason).
 */
public record IspdbImport(ProviderDatabase database, List<FileOutcome> files) {

    public IspdbImport {
        files = List.copyOf(files);
    }

    /**
     * @param file      the file name
     * @param config    the parsed entry, or null when rejected
     * @param warnings  what the parser dropped or replaced (servers of unsupported types, bad fields)
     * @param rejection why the file cannot be used, or null
     */
    public record FileOutcome(String file, ClientConfig config, List<String> warnings, String rejection) {
        public FileOutcome {
            warnings = List.copyOf(warnings);
        }

        public boolean accepted() {
            return config != null;
        }
    }

    public long accepted() {
        return files.stream().filter(FileOutcome::accepted).count();
    }

    public long rejected() {
        return files.size() - accepted();
    }
}
