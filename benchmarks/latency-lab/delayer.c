/*
 * delayer: holds every packet of an NFQUEUE queue for a fixed time, then accepts it.
 *
 * The latency lab's stand-in for `tc qdisc ... netem delay` (the lab machines' kernels have no netem).
 * Packets are kept in a FIFO ordered by release time (the delay is constant, so arrival order is
 * release order); the main loop sleeps in ppoll() until the earliest release time or the next packet,
 * so packets overlap in flight: throughput is not limited to one packet per delay.
 *
 *   delayer QUEUE_NUM DELAY_MS
 *
 * Build: cc -O2 -Wall -o delayer delayer.c -lnetfilter_queue
 * SIGTERM/SIGINT: releases what it holds and exits; SIGUSR1: prints counters to stderr.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define CAPACITY 65536u /* power of two */

struct held {
    uint32_t id;
    uint64_t due_ns;
};

static struct held ring[CAPACITY];
static uint32_t head, tail; /* ring[head..tail) are held */
static uint64_t delay_ns;
static unsigned long long seen, released, overflowed, max_depth;
static volatile sig_atomic_t stop, report;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa, void *data) {
    (void) msg;
    (void) data;
    struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
    if (ph == NULL) {
        return 0;
    }
    uint32_t id = ntohl(ph->packet_id);
    seen++;
    if (tail - head >= CAPACITY) { /* should never happen; late beats lost */
        overflowed++;
        return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
    }
    ring[tail % CAPACITY] = (struct held) {id, now_ns() + delay_ns};
    tail++;
    if (tail - head > max_depth) {
        max_depth = tail - head;
    }
    return 0;
}

static void release_due(struct nfq_q_handle *qh, uint64_t now) {
    while (head != tail && ring[head % CAPACITY].due_ns <= now) {
        nfq_set_verdict(qh, ring[head % CAPACITY].id, NF_ACCEPT, 0, NULL);
        head++;
        released++;
    }
}

static void on_signal(int sig) {
    if (sig == SIGUSR1) {
        report = 1;
    } else {
        stop = 1;
    }
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s QUEUE_NUM DELAY_MS\n", argv[0]);
        return 2;
    }
    int queue = atoi(argv[1]);
    delay_ns = (uint64_t) (atof(argv[2]) * 1e6);

    struct nfq_handle *h = nfq_open();
    if (h == NULL) {
        perror("nfq_open");
        return 1;
    }
    struct nfq_q_handle *qh = nfq_create_queue(h, (uint16_t) queue, &on_packet, NULL);
    if (qh == NULL) {
        perror("nfq_create_queue");
        return 1;
    }
    /* Only the verdict is needed, not the payload. */
    if (nfq_set_mode(qh, NFQNL_COPY_META, 0) < 0) {
        perror("nfq_set_mode");
        return 1;
    }
    nfq_set_queue_maxlen(qh, CAPACITY);
    int fd = nfq_fd(h);
    nfnl_rcvbufsiz(nfq_nfnlh(h), 8 * 1024 * 1024);
    /* Report ENOBUFS instead of silently losing verdict messages. */
    int one = 1;
    setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);

    fprintf(stderr, "delayer: queue %d, %.3f ms per packet\n", queue, delay_ns / 1e6);
    static char buf[65536];
    while (!stop) {
        if (report) {
            report = 0;
            fprintf(stderr, "delayer: seen %llu released %llu held %u max-held %llu overflowed %llu\n", seen,
                    released, tail - head, max_depth, overflowed);
        }
        struct timespec timeout, *tp = NULL;
        if (head != tail) {
            uint64_t now = now_ns(), due = ring[head % CAPACITY].due_ns;
            uint64_t wait = due > now ? due - now : 0;
            timeout.tv_sec = (time_t) (wait / 1000000000ull);
            timeout.tv_nsec = (long) (wait % 1000000000ull);
            tp = &timeout;
        }
        struct pollfd pfd = {fd, POLLIN, 0};
        int r = ppoll(&pfd, 1, tp, NULL);
        if (r < 0 && errno != EINTR) {
            perror("ppoll");
            break;
        }
        if (r > 0) {
            for (;;) {
                ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
                if (n < 0) {
                    if (errno == ENOBUFS) {
                        fprintf(stderr, "delayer: ENOBUFS, packets lost\n");
                        continue;
                    }
                    break;
                }
                nfq_handle_packet(h, buf, (int) n);
            }
        }
        release_due(qh, now_ns());
    }
    release_due(qh, UINT64_MAX);
    fprintf(stderr, "delayer: seen %llu released %llu max-held %llu overflowed %llu\n", seen, released, max_depth,
            overflowed);
    nfq_destroy_queue(qh);
    nfq_close(h);
    return 0;
}
