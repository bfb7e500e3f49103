/* The namespaces the job runs in. Never falls back to an unisolated run. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "launcher.h"

static void write_proc_file(const char *path, const char *text, int missing_is_fine) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 && missing_is_fine && errno == ENOENT) return;
    if (fd < 0) SETUP_FAIL("open %s", path);
    size_t length = strlen(text);
    if (write(fd, text, length) != (ssize_t)length) SETUP_FAIL("write %s", path);
    close(fd);
}

/* A user namespace mapping the caller's uid and gid to themselves: the job's files stay owned by
 * the user who runs sagebox, and mounts become possible without root. */
static void enter_user_namespace(int other_namespaces) {
    uid_t uid = geteuid();
    gid_t gid = getegid();
    if (unshare(CLONE_NEWUSER | other_namespaces) != 0)
        SETUP_FAIL("create user and mount namespaces (unprivileged user namespaces disabled in this kernel?)");
    char map[64];
    write_proc_file("/proc/self/setgroups", "deny", 1); /* required before gid_map since Linux 3.19 */
    snprintf(map, sizeof map, "%u %u 1\n", (unsigned)uid, (unsigned)uid);
    write_proc_file("/proc/self/uid_map", map, 0);
    snprintf(map, sizeof map, "%u %u 1\n", (unsigned)gid, (unsigned)gid);
    write_proc_file("/proc/self/gid_map", map, 0);
}

/* Always a mount and a PID namespace (the next child is the namespace's PID 1, pidns.c);
 * --no-network: a network namespace of its own (only loopback); --hostname: a UTS namespace of its own,
 * so that sethostname changes the job's host name only. Both are owned by the user namespace if there is one. */
void namespace_enter(const struct launch_options *options) {
    int namespaces = CLONE_NEWNS | CLONE_NEWPID | (options->no_network ? CLONE_NEWNET : 0) | (options->hostname != NULL ? CLONE_NEWUTS : 0);
    if (geteuid() == 0) {
        if (unshare(namespaces) == 0) return;
        /* root without CAP_SYS_ADMIN (inside an unprivileged container): a user namespace may still work */
        if (errno != EPERM) SETUP_FAIL("create mount, PID%s%s namespaces", options->no_network ? ", network" : "",
                                       options->hostname != NULL ? ", UTS" : "");
    }
    enter_user_namespace(namespaces);
}
