package io.staleguard.device.sim.kernel;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A mailing-list thread of the public Linux record that a hazard or a preset is modelled from,
 * named so that anyone can find it in the list archives: its subject line, who wrote it, when,
 * and the commits it names.
 *
 * @param subject the subject line of the message, without "Re: "; empty when the archived message
 *                carries none
 * @param author  who wrote it
 * @param date    when: {@code yyyy-MM-dd}, or only as precise as the record is
 * @param commits the commits the thread names, abbreviated to 8 hex digits, in the order it names them
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record Reference(String subject, String author, String date, List<String> commits) {

    public Reference {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(date, "date");
        commits = List.copyOf(commits);
    }

    /**
     * One line, without a URL:
     * {@code "[patch] aio: invalidate async directio writes", Jeff Moyer, 2008-06-18 (commits 65b8291c, bdb76ef5)}.
     */
    public String citation() {
        StringBuilder b = new StringBuilder();
        if (!subject.isEmpty()) {
            b.append('"').append(subject).append("\", ");
        }
        b.append(author).append(", ").append(date);
        if (!commits.isEmpty()) {
            b.append(commits.size() == 1 ? " (commit " : " (commits ").append(String.join(", ", commits)).append(')');
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return citation();
    }
}
