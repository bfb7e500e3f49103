/* The job's root, built as bubblewrap builds it: a fresh tmpfs becomes the root with the host's
 * root kept at /oldroot; the job's view is assembled at /newroot from binds of /oldroot/...; then
 * /oldroot is detached and /newroot becomes the root. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "launcher.h"

#define OLD_ROOT "/oldroot"
#define NEW_ROOT "/newroot"

void path_join(char *out, const char *first, const char *second) {
    while (*second == '/') second++;
    int length = snprintf(out, PATH_MAX, "%s/%s", first, second);
    if (length < 0 || length >= PATH_MAX) failure_exit(LAUNCHER_EXIT_SETUP, ENAMETOOLONG, "path %s/%s", first, second);
}

static int pivot_root(const char *new_root, const char *put_old) {
    return (int)syscall(SYS_pivot_root, new_root, put_old);
}

/* Private first: otherwise every mount below would propagate back to the host. */
static void make_mounts_private(void) {
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) SETUP_FAIL("make mounts private");
}

/* A tmpfs over any existing host folder is only seen in this namespace; the folder is untouched. */
static void enter_base_tmpfs(const struct launch_options *options) {
    static const char *const candidates[] = {"/tmp", "/mnt", "/run", "/var/tmp", "/media", NULL};
    const char *base = NULL;
    for (const char *const *candidate = candidates; *candidate != NULL && base == NULL; candidate++) {
        struct stat status;
        if (stat(*candidate, &status) == 0 && S_ISDIR(status.st_mode)) base = *candidate;
    }
    if (base == NULL) failure_exit(LAUNCHER_EXIT_SETUP, ENOENT, "no host folder to mount the base tmpfs on");
    if (mount("tmpfs", base, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0) SETUP_FAIL("mount base tmpfs on %s", base);
    if (chdir(base) != 0) SETUP_FAIL("chdir %s", base);
    if (mkdir("oldroot", 0755) != 0 || mkdir("newroot", 0755) != 0) SETUP_FAIL("mkdir in base tmpfs");
    if (pivot_root(base, "oldroot") != 0) SETUP_FAIL("pivot_root to base tmpfs");
    if (chdir("/") != 0) SETUP_FAIL("chdir /");
    hostview_mount_root(OLD_ROOT, NEW_ROOT, options);
}

/* The lower folder is only read; writes in TARGET land in UPPER (overlayfs copies a file up first). */
static void mount_overlays(const struct launch_options *options) {
    for (size_t i = 0; i < options->overlay_count; i++) {
        const struct overlay_spec *overlay = &options->overlays[i];
        char target[PATH_MAX], data[4096];
        path_join(target, NEW_ROOT, overlay->target);
        int length = snprintf(data, sizeof data, "lowerdir=" OLD_ROOT "%s,upperdir=" OLD_ROOT "%s,workdir=" OLD_ROOT "%s",
                              overlay->lower, overlay->upper, overlay->work);
        if (length < 0 || (size_t)length >= sizeof data)
            failure_exit(LAUNCHER_EXIT_SETUP, ENAMETOOLONG, "mount overlay at %s", overlay->target);
        if (hostview_mount_overlay(target, data) != 0) SETUP_FAIL("mount overlay at %s", overlay->target);
    }
}

/* An output folder or a Pipe FIFO inside a staged input's folder would be covered by that input's
 * overlay: bound from the --opt-ml folder over it, the job writes (or reads) the host's own, which the
 * uploaders and feeders use. The mount point made in the overlay lands in its upper layer. */
static void bind_opt_ml_paths(const struct launch_options *options) {
    for (size_t i = 0; i < options->opt_ml_bind_count; i++) {
        const char *path = options->opt_ml_binds[i];
        char opt_ml[PATH_MAX], source[PATH_MAX], target[PATH_MAX];
        path_join(opt_ml, OLD_ROOT, options->opt_ml);
        path_join(source, opt_ml, path + strlen("/opt/ml"));
        path_join(target, NEW_ROOT, path);
        struct stat status;
        if (lstat(source, &status) != 0) SETUP_FAIL("--opt-ml-bind %s", path);
        if (S_ISDIR(status.st_mode)) {
            hostview_make_folders(target);
            if (mount(source, target, NULL, MS_BIND, NULL) != 0) SETUP_FAIL("bind %s over its input", path);
        } else {
            char parent[PATH_MAX];
            snprintf(parent, sizeof parent, "%s", target);
            *strrchr(parent, '/') = '\0';
            hostview_make_folders(parent);
            hostview_bind_file(source, target);
        }
    }
}

/* The second pivot, as bubblewrap does it: the host's root is detached first, then /newroot
 * becomes the root and the base tmpfs stacked under it is detached too. */
static void enter_new_root(void) {
    if (mount(OLD_ROOT, OLD_ROOT, NULL, MS_REC | MS_PRIVATE, NULL) != 0) SETUP_FAIL("make old root private");
    if (umount2(OLD_ROOT, MNT_DETACH) != 0) SETUP_FAIL("detach old root");
    if (chdir(NEW_ROOT) != 0) SETUP_FAIL("chdir " NEW_ROOT);
    if (pivot_root(".", ".") != 0) SETUP_FAIL("pivot_root to new root");
    if (umount2(".", MNT_DETACH) != 0) SETUP_FAIL("detach base tmpfs");
    if (chdir("/") != 0) SETUP_FAIL("chdir /");
}

void rootfs_build(const struct launch_options *options) {
    make_mounts_private();
    enter_base_tmpfs(options);
    hostview_mirror(OLD_ROOT, NEW_ROOT, options);
    hostname_bind_etc_files(OLD_ROOT, NEW_ROOT, options);
    mount_overlays(options);
    bind_opt_ml_paths(options);
    enter_new_root();
}

/* After the final pivot, so that a hidden path resolves (symlinks included) as the job would resolve it. */
void rootfs_hide(const struct launch_options *options) {
    for (size_t i = 0; i < options->hide_count; i++) {
        struct stat status;
        if (stat(options->hides[i], &status) != 0) {
            if (errno == ENOENT || errno == ENOTDIR) continue;
            SETUP_FAIL("--hide %s", options->hides[i]);
        }
        if (!S_ISDIR(status.st_mode)) failure_exit(LAUNCHER_EXIT_SETUP, ENOTDIR, "--hide %s", options->hides[i]);
        if (mount("tmpfs", options->hides[i], "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755") != 0)
            SETUP_FAIL("hide %s", options->hides[i]);
    }
}
