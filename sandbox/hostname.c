/* --hostname and --hosts-file: who the job is on the network. On SageMaker each instance's host name is
 * its name in resourceconfig.json (algo-1, ...) and every algo-N resolves. The job gets a UTS namespace
 * of its own, so sethostname changes only its view; /etc/hostname and /etc/hosts are files bound over
 * the host's in the job's mount namespace only, read-only, so the host's /etc is never touched. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "launcher.h"

/* Written on the base tmpfs, which the job never sees; its bind at /etc/hostname outlives that tmpfs's detach. */
#define HOSTNAME_FILE "/hostname"

/* Called in the UTS namespace namespace_enter made, while the launcher still has CAP_SYS_ADMIN there. */
void hostname_set(const struct launch_options *options) {
    if (options->hostname == NULL) return;
    if (sethostname(options->hostname, strlen(options->hostname)) != 0) SETUP_FAIL("sethostname %s", options->hostname);
}

/* Binds host file source (a path under the old root) over target, a file of the new root's /etc that
 * must exist: a mount point cannot be created in the host's /etc without changing it. */
static void bind_read_only_file(const char *source, const char *target, const char *shown_as) {
    struct stat status;
    if (stat(target, &status) != 0) SETUP_FAIL("cover %s (the host has none to cover)", shown_as);
    if (!S_ISREG(status.st_mode)) failure_exit(LAUNCHER_EXIT_SETUP, EINVAL, "cover %s: not a regular file on the host", shown_as);
    if (mount(source, target, NULL, MS_BIND, NULL) != 0) SETUP_FAIL("bind over %s", shown_as);
    readonly_mount_tree(target);
}

/* /etc/hostname holds NAME where the host has one (without, there is nothing a job could read). */
static void bind_hostname_file(const char *new_root, const char *name) {
    char target[PATH_MAX];
    path_join(target, new_root, "/etc/hostname");
    struct stat status;
    if (stat(target, &status) != 0 && errno == ENOENT) return;
    int fd = open(HOSTNAME_FILE, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) SETUP_FAIL("create the job's /etc/hostname");
    size_t length = strlen(name);
    if (write(fd, name, length) != (ssize_t)length || write(fd, "\n", 1) != 1) SETUP_FAIL("write the job's /etc/hostname");
    close(fd);
    bind_read_only_file(HOSTNAME_FILE, target, "/etc/hostname");
}

/* After the host's view is mirrored (and any --bind), so nothing mounted later covers these files. */
void hostname_bind_etc_files(const char *old_root, const char *new_root, const struct launch_options *options) {
    if (options->hostname != NULL) bind_hostname_file(new_root, options->hostname);
    if (options->resolv_conf != NULL) {
        char source[PATH_MAX], target[PATH_MAX];
        path_join(source, old_root, options->resolv_conf);
        path_join(target, new_root, "/etc/resolv.conf");
        /* A host's /etc/resolv.conf is often a link into /run, which is the job's own: with --layer, /etc is
         * the job's overlay, where the link may be replaced by a plain file to bind over. */
        struct stat status;
        if (options->layer != NULL && (lstat(target, &status) != 0 || !S_ISREG(status.st_mode))) {
            unlink(target);
            int fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
            if (fd >= 0) close(fd);
        }
        bind_read_only_file(source, target, "/etc/resolv.conf");
    }
    if (options->hosts_file != NULL) {
        char source[PATH_MAX], target[PATH_MAX];
        path_join(source, old_root, options->hosts_file);
        path_join(target, new_root, "/etc/hosts");
        bind_read_only_file(source, target, "/etc/hosts");
    }
}
