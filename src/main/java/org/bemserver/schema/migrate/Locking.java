package org.bemserver.schema.migrate;

import java.time.Duration;
import org.bemserver.schema.ConfigurationException;

/**
 * How migration runs wait for locks.
 *
 * @param lockWait how long a run waits for the migration lock another run holds, before it gives up
 *     with the name of the session that holds it ({@code bemserver.lockWait})
 * @param lockTimeout PostgreSQL's {@code lock_timeout} for the statements of scripts, such as
 *     {@code 5s}, so DDL queued behind a long query cannot block a busy table indefinitely; {@code null}
 *     keeps the server's setting ({@code bemserver.lockTimeout})
 */
public record Locking(Duration lockWait, String lockTimeout) {

    public static final Locking DEFAULT = new Locking(Duration.ofSeconds(120), null);

    public Locking {
        if (lockWait.isNegative() || lockWait.isZero()) {
            throw new ConfigurationException("bemserver.lockWait must be a positive number of seconds");
        }
        if (lockTimeout != null && lockTimeout.isBlank()) {
            lockTimeout = null;
        }
        if (lockTimeout != null && !lockTimeout.strip().matches("[0-9]+ ?(ms|s|min|h)?")) {
            throw new ConfigurationException(
                    "bemserver.lockTimeout must be a duration PostgreSQL reads, such as 5s, 500ms " + "or 1min, not '"
                            + lockTimeout + "'");
        }
        lockTimeout = lockTimeout == null ? null : lockTimeout.strip();
    }

    /** The {@code SET} clause that gives script statements their lock timeout. */
    String lockTimeoutSetting() {
        return lockTimeout == null ? "lock_timeout TO DEFAULT" : "lock_timeout = '" + lockTimeout + "'";
    }
}
