package org.mailsetup.internal.source;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.mailsetup.config.HostNames;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.dns.DnsAnswer;
import org.mailsetup.internal.dns.DnsException;
import org.mailsetup.internal.dns.SrvRecord;
import org.mailsetup.internal.source.srv.SrvSource;

/** Waiting for DNS questions a source asked at once on the lookup's executor, and reading SRV answers. */
public final class DnsAnswers {

    private DnsAnswers() {
    }

    /** The answer by the deadline, or the DNS failure (a passed deadline is one, marked as such). */
    public static <T> DnsAnswer<T> await(Future<DnsAnswer<T>> future, Deadline deadline, String qname)
            throws DnsException, InterruptedException {
        try {
            return deadline.await(future);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw DnsException.deadlinePassed("DNS query for " + qname + " timed out");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DnsException d) {
                throw d;
            }
            throw new DnsException("DNS query for " + qname + " failed: " + cause, cause);
        }
    }

    /**
     * The record to use of an SRV answer that names one service: the first usable one in RFC 2782 order; null,
     * with the reason added to {@code details}, when there is none (no record, {@code "."}: not offered, or only
     * invalid targets and port 0).
     */
    public static SrvRecord firstUsable(String qname, DnsAnswer<SrvRecord> answer, List<String> details) {
        List<SrvRecord> records = answer.records();
        if (records.isEmpty()) {
            details.add("no SRV record at " + qname);
            return null;
        }
        if (records.size() == 1 && records.getFirst().target().isEmpty()) {
            details.add(qname + ": not offered (target \".\")");
            return null;
        }
        SrvRecord best = records.stream().sorted(SrvSource.RFC2782_ORDER)
                .filter(r -> HostNames.isValid(r.target()) && r.port() != 0).findFirst().orElse(null);
        if (best == null) {
            details.add(qname + ": no usable SRV record (invalid target or port 0)");
        }
        return best;
    }
}
