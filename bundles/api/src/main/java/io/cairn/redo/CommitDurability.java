package io.cairn.redo;

import io.cairn.config.InvalidSettingException;

/**
 * When a commit returns relative to its redo reaching the file and the device. The levels carry
 * InnoDB's {@code innodb_flush_log_at_trx_commit} numbers (field report 4) so operators can use
 * the values they know. Chosen per commit or as the engine's default, changeable while running.
 */
public enum CommitDurability {
    /**
     * Level 0: the commit returns at once; redo is written and synced about once a second. A process
     * crash or a power loss may lose about the last second of commits. After a crash the state is a
     * prefix of the committed sequence: never a later commit without an earlier one.
     */
    PERIODIC(0),
    /** Level 1 (the default): the commit returns after its redo was written and synced. Nothing acknowledged is lost. */
    SYNC_ON_COMMIT(1),
    /**
     * Level 2: the commit returns after its redo was written to the file (the OS page cache); it is
     * synced about once a second. A process crash loses nothing; a power loss may lose about a second.
     */
    WRITE_ON_COMMIT(2);

    private final int level;

    CommitDurability(int level) {
        this.level = level;
    }

    /** The InnoDB level number: 0, 1 or 2. */
    public int level() {
        return level;
    }

    /**
     * The durability for a level number or a name (case-insensitive), as configuration gives it.
     *
     * @throws InvalidSettingException naming {@code key} when the value is neither
     */
    public static CommitDurability parse(String key, String value) {
        if (value != null) {
            String trimmed = value.trim();
            for (CommitDurability d : values()) {
                if (trimmed.equals(Integer.toString(d.level)) || trimmed.equalsIgnoreCase(d.name())) {
                    return d;
                }
            }
        }
        throw new InvalidSettingException(key, value,
                "0 (PERIODIC), 1 (SYNC_ON_COMMIT) or 2 (WRITE_ON_COMMIT)");
    }
}
