/* --readonly-host: the job reads the host but cannot change it. Each mirrored host entry is made
 * read-only with everything mounted below it (mount_setattr with AT_RECURSIVE, Linux 5.12), and the
 * job's root itself is sealed at the end. /opt/ml, its overlays, /tmp and /dev are mounts of their own
 * outside those trees, so they stay writable. Read-only is a property of these mounts in the job's
 * namespace only; the host's mounts are untouched. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "launcher.h"

#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif

/* struct mount_attr of <linux/mount.h>, spelled out so the launcher builds against older headers. */
struct readonly_mount_attr {
    uint64_t attr_set;
    uint64_t attr_clr;
    uint64_t propagation;
    uint64_t userns_fd;
};

static int set_readonly(const char *path, unsigned int flags) {
    struct readonly_mount_attr attributes = {.attr_set = 0x00000001 /* MOUNT_ATTR_RDONLY */};
    return (int)syscall(SYS_mount_setattr, AT_FDCWD, path, flags, &attributes, sizeof attributes);
}

/* AT_SYMLINK_NOFOLLOW: a mirrored symlink is not a mount; it resolves to a path that is covered anyway. */
void readonly_mount_tree(const char *path) {
    if (set_readonly(path, AT_RECURSIVE | AT_SYMLINK_NOFOLLOW) != 0) SETUP_FAIL("make %s read-only", path);
}

/* The root tmpfs holds the mount points; sealed, a job cannot create /x or write /opt/ml/../x. */
void readonly_seal_root(void) {
    if (set_readonly("/", 0) != 0) SETUP_FAIL("make / read-only");
}
