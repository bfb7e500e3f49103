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
void namespace_enter_user(int other_namespaces) {
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

/* Joins the namespace at `path` (a /proc/<pid>/ns/ file) of kind `type`. */
static void join_namespace(const char *path, int type, const char *what) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) SETUP_FAIL("open the job's %s namespace %s", what, path);
    if (setns(fd, type) != 0) SETUP_FAIL("join the job's %s namespace %s", what, path);
    close(fd);
}

/* Always a mount and a PID namespace (the next child is the namespace's PID 1, pidns.c);
 * --no-network: a network namespace of its own (only loopback); --hostname: a UTS namespace of its own,
 * so that sethostname changes the job's host name only. Both are owned by the user namespace if there is one. */
void namespace_enter(const struct launch_options *options) {
    /* --netns: the job's network namespace, shared by its instances (netholder.c); a normal user first joins
     * the user namespace that owns it, where it may then make the others. */
    if (options->userns != NULL) join_namespace(options->userns, CLONE_NEWUSER, "user");
    if (options->netns != NULL) join_namespace(options->netns, CLONE_NEWNET, "network");
    int joined_user = options->userns != NULL;
    int namespaces = CLONE_NEWNS | CLONE_NEWPID | (options->no_network && options->netns == NULL ? CLONE_NEWNET : 0)
                     | (options->hostname != NULL ? CLONE_NEWUTS : 0);
    if (joined_user) {
        if (unshare(namespaces) != 0) SETUP_FAIL("create mount, PID namespaces in the job's user namespace");
        return;
    }
    if (geteuid() == 0) {
        if (unshare(namespaces) == 0) return;
        /* root without CAP_SYS_ADMIN (inside an unprivileged container): a user namespace may still work */
        if (errno != EPERM) SETUP_FAIL("create mount, PID%s%s namespaces", options->no_network ? ", network" : "",
                                       options->hostname != NULL ? ", UTS" : "");
    }
    namespace_enter_user(namespaces);
}
