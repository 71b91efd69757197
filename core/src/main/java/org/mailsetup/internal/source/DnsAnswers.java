package org.mailsetup.internal.source;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.dns.DnsAnswer;
import org.mailsetup.internal.dns.DnsException;

/** Waiting for DNS questions a source asked at once on the lookup's executor. */
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
}
