/* The job's /dev, as a container's: a tmpfs with the harmless character devices bound from the host,
 * its own pseudo-terminals, a /dev/shm, and the standard links. No disk, no /dev/mem, no /dev/kmsg:
 * a root job cannot write to the host's block devices. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "launcher.h"

/* --shm-size: bytes of /dev/shm, 0 for the kernel's default (half of the host's memory). */
static unsigned long shm_size;

void devices_set_shm_size(unsigned long bytes) { shm_size = bytes; }

static void bind_device(const char *old_root, const char *target, const char *name) {
    char host_dev[PATH_MAX], source[PATH_MAX], node[PATH_MAX];
    path_join(host_dev, old_root, "/dev");
    path_join(source, host_dev, name);
    path_join(node, target, name);
    int fd = open(node, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) SETUP_FAIL("create %s", node);
    close(fd);
    if (mount(source, node, NULL, MS_BIND, NULL) != 0) SETUP_FAIL("bind /dev/%s", name);
}

static void make_link(const char *target, const char *name, const char *points_to) {
    char link[PATH_MAX];
    path_join(link, target, name);
    if (symlink(points_to, link) != 0) SETUP_FAIL("symlink %s", link);
}

static void mount_tmpfs(const char *target, const char *name, const char *data) {
    char folder[PATH_MAX];
    path_join(folder, target, name);
    if (mkdir(folder, 0755) != 0) SETUP_FAIL("mkdir %s", folder);
    if (mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, data) != 0) SETUP_FAIL("mount tmpfs on %s", folder);
}

/* A fresh devpts instance keeps the host's terminals out of reach; where the kernel refuses one,
 * the host's /dev/pts is bound instead, as bubblewrap falls back. */
static void mount_pseudo_terminals(const char *old_root, const char *target) {
    char pts[PATH_MAX];
    path_join(pts, target, "pts");
    if (mkdir(pts, 0755) != 0) SETUP_FAIL("mkdir %s", pts);
    if (mount("devpts", pts, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620") == 0) {
        make_link(target, "ptmx", "pts/ptmx");
        return;
    }
    char host_pts[PATH_MAX];
    path_join(host_pts, old_root, "/dev/pts");
    if (mount(host_pts, pts, NULL, MS_BIND | MS_REC, NULL) != 0) SETUP_FAIL("bind /dev/pts");
    bind_device(old_root, target, "ptmx");
}

void devices_build(const char *old_root, const char *target) {
    if (mkdir(target, 0755) != 0) SETUP_FAIL("mkdir %s", target);
    /* nodev on the tmpfs: a node made there is dead; the bound devices are mounts of their own. */
    if (mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755") != 0) SETUP_FAIL("mount tmpfs on /dev");
    static const char *const devices[] = {"null", "zero", "full", "random", "urandom", "tty", NULL};
    for (const char *const *device = devices; *device != NULL; device++) bind_device(old_root, target, *device);
    mount_pseudo_terminals(old_root, target);
    /* The pages are charged to the writer's memory cgroup anyway; the size bounds /dev/shm where the job
     * has no cgroup, and keeps a full /dev/shm an ENOSPC rather than the host's memory. */
    char shm_data[64];
    if (shm_size > 0) snprintf(shm_data, sizeof shm_data, "mode=1777,size=%lu", shm_size);
    else snprintf(shm_data, sizeof shm_data, "mode=1777");
    mount_tmpfs(target, "shm", shm_data);
    make_link(target, "fd", "/proc/self/fd");
    make_link(target, "stdin", "/proc/self/fd/0");
    make_link(target, "stdout", "/proc/self/fd/1");
    make_link(target, "stderr", "/proc/self/fd/2");
}
