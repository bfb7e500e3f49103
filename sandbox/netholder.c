/* sagebox-launcher --hold-network [--endpoint-port PORT]
 *
 * A job's network namespace, shared by its instances (they reach one another as algo-K on its
 * loopback) and by nothing else: the host's loopback services, its abstract Unix sockets and other jobs
 * are out of reach. The holder runs as two processes:
 *   the keeper  (in the new namespace; a user namespace too when not root) brings loopback up, opens the
 *               endpoint's listening socket there, hands it to the relay and then only keeps the namespace
 *               alive; the instances' launchers join it through /proc/<keeper>/ns/net (and ns/user);
 *   the relay   (in the host's namespace) accepts on that socket, so a job's connection to
 *               127.0.0.1:PORT, the URL in its AWS_ENDPOINT_URL, reaches the sagebox server listening on
 *               the host's 127.0.0.1:PORT, one thread a connection. No other port is relayed.
 * It prints the keeper's pid on one line once the namespace is ready, and runs until killed; both
 * processes die with the one that started the holder. The outside network, where wanted, is
 * slirp4netns's, attached to the keeper by sagebox. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launcher.h"

static int endpoint_port = 0;

/* Sends `fd` (or nothing, -1) over the socket `channel`, with one byte of payload. */
static void send_descriptor(int channel, int fd) {
    char byte = 0;
    struct iovec payload = {.iov_base = &byte, .iov_len = 1};
    union { struct cmsghdr header; char space[CMSG_SPACE(sizeof(int))]; } control;
    memset(&control, 0, sizeof control);
    struct msghdr message = {.msg_iov = &payload, .msg_iovlen = 1};
    if (fd >= 0) {
        message.msg_control = control.space;
        message.msg_controllen = sizeof control.space;
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(header), &fd, sizeof(int));
    }
    if (sendmsg(channel, &message, 0) != 1) SETUP_FAIL("hand the endpoint socket to the relay");
}

static int receive_descriptor(int channel) {
    char byte;
    struct iovec payload = {.iov_base = &byte, .iov_len = 1};
    union { struct cmsghdr header; char space[CMSG_SPACE(sizeof(int))]; } control;
    struct msghdr message = {.msg_iov = &payload, .msg_iovlen = 1, .msg_control = control.space,
                             .msg_controllen = sizeof control.space};
    ssize_t count;
    do count = recvmsg(channel, &message, MSG_CMSG_CLOEXEC);
    while (count < 0 && errno == EINTR);
    if (count != 1) failure_exit(LAUNCHER_EXIT_SETUP, count < 0 ? errno : EPIPE, "the network namespace could not be made");
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    if (header == NULL || header->cmsg_type != SCM_RIGHTS) return -1;
    int fd;
    memcpy(&fd, CMSG_DATA(header), sizeof(int));
    return fd;
}

/* The keeper: never returns. */
static _Noreturn void keep_namespace(int channel) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) SETUP_FAIL("set the keeper's parent-death signal");
    if (geteuid() == 0) {
        if (unshare(CLONE_NEWNET) != 0) SETUP_FAIL("create the job's network namespace");
    } else {
        namespace_enter_user(CLONE_NEWNET);
    }
    network_bring_up_loopback();
    int listener = -1;
    if (endpoint_port > 0) {
        listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (listener < 0) SETUP_FAIL("socket for the endpoint");
        int on = 1;
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)endpoint_port)};
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0) SETUP_FAIL("bind 127.0.0.1:%d in the job's network", endpoint_port);
        if (listen(listener, 128) != 0) SETUP_FAIL("listen on 127.0.0.1:%d in the job's network", endpoint_port);
    }
    send_descriptor(channel, listener);
    if (listener >= 0) close(listener);
    close(channel);
    for (;;) pause();
}

/* Copies both ways between a job's connection and the server's until both sides are done. */
static void *relay_connection(void *argument) {
    int *pair = argument, job = pair[0], server = pair[1];
    free(pair);
    char buffer[65536];
    int job_open = 1, server_open = 1;
    while (job_open || server_open) {
        struct pollfd watched[2] = {{.fd = job_open ? job : -1, .events = POLLIN},
                                    {.fd = server_open ? server : -1, .events = POLLIN}};
        if (poll(watched, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int side = 0; side < 2; side++) {
            if (!(watched[side].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            int from = side == 0 ? job : server, to = side == 0 ? server : job;
            ssize_t count = read(from, buffer, sizeof buffer);
            if (count <= 0) {
                shutdown(to, SHUT_WR); /* end of a request body or a response, passed on */
                if (side == 0) job_open = 0; else server_open = 0;
                if (count < 0) job_open = server_open = 0;
                continue;
            }
            for (ssize_t done = 0; done < count;) {
                ssize_t written = write(to, buffer + done, (size_t)(count - done));
                if (written < 0 && errno == EINTR) continue;
                if (written <= 0) { job_open = server_open = 0; break; }
                done += written;
            }
        }
    }
    close(job);
    close(server);
    return NULL;
}

/* The relay: accepts in the job's namespace, connects in the host's. Never returns. */
static _Noreturn void relay(int listener) {
    pthread_attr_t detached;
    pthread_attr_init(&detached);
    pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
    for (;;) {
        int job = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
        if (job < 0) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE) continue;
            failure_exit(LAUNCHER_EXIT_SETUP, errno, "accept in the job's network");
        }
        int server = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)endpoint_port)};
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int *pair = malloc(2 * sizeof(int));
        pthread_t thread;
        if (server < 0 || connect(server, (struct sockaddr *)&address, sizeof address) != 0 || pair == NULL) {
            close(job);
            if (server >= 0) close(server);
            free(pair);
            continue;
        }
        pair[0] = job;
        pair[1] = server;
        if (pthread_create(&thread, &detached, relay_connection, pair) != 0) {
            close(job);
            close(server);
            free(pair);
        }
    }
}

int netholder_main(int argc, char **argv) {
    int parent = (int)getppid();
    process_reset_signals();
    process_close_inherited_fds();
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--endpoint-port") == 0 && i + 1 < argc) {
            endpoint_port = atoi(argv[++i]);
            if (endpoint_port <= 0 || endpoint_port > 65535) failure_exit(LAUNCHER_EXIT_SETUP, EINVAL, "--endpoint-port %s", argv[i]);
        } else {
            failure_exit(LAUNCHER_EXIT_SETUP, EINVAL, "--hold-network: unknown option %s", argv[i]);
        }
    }
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) SETUP_FAIL("set the holder's parent-death signal");
    if (getppid() != parent) failure_exit(LAUNCHER_EXIT_SETUP, ESRCH, "the process that started the holder is gone");
    signal(SIGPIPE, SIG_IGN); /* a job closing its connection must not end the relay */
    int channel[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, channel) != 0) SETUP_FAIL("socketpair");
    pid_t keeper = fork();
    if (keeper < 0) SETUP_FAIL("fork the network keeper");
    if (keeper == 0) {
        close(channel[0]);
        keep_namespace(channel[1]);
    }
    close(channel[1]);
    int listener = receive_descriptor(channel[0]);
    close(channel[0]);
    printf("%d\n", (int)keeper);
    fflush(stdout);
    if (listener >= 0) relay(listener);
    for (;;) {
        if (waitpid(keeper, NULL, 0) == keeper) _exit(LAUNCHER_EXIT_SETUP);
    }
}
