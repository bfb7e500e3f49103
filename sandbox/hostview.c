/* The host as the job sees it: every top-level entry of the host's root, except /tmp (the job's
 * own), /opt (rebuilt so that /opt/ml is the job's folder), /dev (a minimal one, devices.c) and /proc
 * (the job's own PID namespace's).
 * /sys is read-only always; with --readonly-host every mirrored entry is. Nothing is created on the host:
 * every mount point made here lives on the new root's tmpfs. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "launcher.h"

/* Messages name the host path, not its temporary place under the old root. */
static const char *host_path(const char *source) {
    return strchr(source + 1, '/') != NULL ? strchr(source + 1, '/') : source;
}

static void bind_folder(const char *source, const char *target) {
    if (mkdir(target, 0755) != 0 && errno != EEXIST) SETUP_FAIL("mkdir %s", target);
    if (mount(source, target, NULL, MS_BIND | MS_REC, NULL) != 0) SETUP_FAIL("bind %s", host_path(source));
}

void hostview_bind_file(const char *source, const char *target) {
    int fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) SETUP_FAIL("create %s", target);
    close(fd);
    if (mount(source, target, NULL, MS_BIND | MS_REC, NULL) != 0) SETUP_FAIL("bind %s", host_path(source));
}

/* A symlink is recreated rather than bound, so that merged-/usr links (/lib -> usr/lib) resolve inside the job. */
static void copy_symlink(const char *source, const char *target) {
    char link_target[PATH_MAX];
    ssize_t length = readlink(source, link_target, sizeof link_target - 1);
    if (length < 0) SETUP_FAIL("readlink %s", source);
    link_target[length] = '\0';
    if (symlink(link_target, target) != 0) SETUP_FAIL("symlink %s", target);
}

static int is_skipped(const char *name, const char *const *skipped) {
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) return 1;
    for (; *skipped != NULL; skipped++) {
        if (strcmp(name, *skipped) == 0) return 1;
    }
    return 0;
}

/* Recreates each child of source_folder (but the skipped names) inside target_folder. */
static void mirror_children(const char *source_folder, const char *target_folder, const char *const *skipped,
                            int readonly) {
    DIR *folder = opendir(source_folder);
    if (folder == NULL) SETUP_FAIL("open %s", source_folder);
    struct dirent *entry;
    while ((errno = 0, entry = readdir(folder)) != NULL) {
        if (is_skipped(entry->d_name, skipped)) continue;
        char source[PATH_MAX], target[PATH_MAX];
        path_join(source, source_folder, entry->d_name);
        path_join(target, target_folder, entry->d_name);
        struct stat status;
        if (lstat(source, &status) != 0) SETUP_FAIL("stat %s", source);
        if (S_ISLNK(status.st_mode)) {
            copy_symlink(source, target);
            continue;
        }
        if (S_ISDIR(status.st_mode)) bind_folder(source, target);
        else hostview_bind_file(source, target);
        /* /sys is always read-only, as in a container: through /sys/fs/cgroup a root job could leave its cgroups. */
        if (readonly || strcmp(entry->d_name, "sys") == 0) readonly_mount_tree(target);
    }
    if (errno != 0) SETUP_FAIL("read %s", source_folder);
    closedir(folder);
}

/* The job's own /proc, of its PID namespace: the host's processes, sagebox's and other jobs' are not in
 * it. As in a container, the kernel's tunables and a few host-wide views stay read-only or hidden. */
static void mount_proc(const char *new_root) {
    char target[PATH_MAX];
    path_join(target, new_root, "/proc");
    if (mkdir(target, 0555) != 0) SETUP_FAIL("mkdir %s", target);
    if (mount("proc", target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) SETUP_FAIL("mount the job's /proc");
    static const char *const readonly_entries[] = {"sys", "sysrq-trigger", "bus", "fs", "irq", NULL};
    for (const char *const *entry = readonly_entries; *entry != NULL; entry++) {
        char path[PATH_MAX];
        path_join(path, target, *entry);
        if (access(path, F_OK) != 0) continue;
        if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) != 0) SETUP_FAIL("bind /proc/%s", *entry);
        readonly_mount_tree(path);
    }
    static const char *const hidden_files[] = {"kcore", "keys", "timer_list", "sched_debug", NULL};
    char null_device[PATH_MAX];
    path_join(null_device, new_root, "/dev/null");
    for (const char *const *entry = hidden_files; *entry != NULL; entry++) {
        char path[PATH_MAX];
        path_join(path, target, *entry);
        if (access(path, F_OK) != 0) continue;
        if (mount(null_device, path, NULL, MS_BIND, NULL) != 0) SETUP_FAIL("hide /proc/%s", *entry);
    }
}

/* mkdir -p inside the new root; the parents it creates live on the new root's tmpfs or in the job's
 * own folders (a bind under /tmp creates its parents in the job's /tmp folder). */
void hostview_make_folders(const char *path) {
    char partial[PATH_MAX];
    size_t length = strlen(path);
    if (length >= sizeof partial) SETUP_FAIL("path too long: %s", path);
    for (size_t i = 1; i <= length; i++) {
        if (path[i] != '/' && path[i] != '\0') continue;
        memcpy(partial, path, i);
        partial[i] = '\0';
        if (mkdir(partial, 0755) != 0 && errno != EEXIST) SETUP_FAIL("mkdir %s", partial);
    }
}

/* --bind: host folders the job's runtime needs (a Python environment, say) stay visible at their own
 * path even where the job's view replaces the host's folder, as under /tmp. */
static void bind_requested(const char *old_root, const char *new_root, const struct launch_options *options) {
    for (size_t i = 0; i < options->bind_count; i++) {
        char source[PATH_MAX], target[PATH_MAX];
        path_join(source, old_root, options->binds[i]);
        path_join(target, new_root, options->binds[i]);
        hostview_make_folders(target);
        if (mount(source, target, NULL, MS_BIND | MS_REC, NULL) != 0) SETUP_FAIL("bind %s", options->binds[i]);
        if (options->readonly_host) readonly_mount_tree(target);
    }
}

void hostview_mirror(const char *old_root, const char *new_root, const struct launch_options *options) {
    static const char *const top_level_skipped[] = {"tmp", "opt", "dev", "proc", NULL};
    mirror_children(old_root, new_root, top_level_skipped, options->readonly_host);

    char devices[PATH_MAX];
    path_join(devices, new_root, "/dev");
    devices_build(old_root, devices);
    mount_proc(new_root);

    char source[PATH_MAX], target[PATH_MAX];
    path_join(source, old_root, options->tmp);
    path_join(target, new_root, "/tmp");
    bind_folder(source, target);

    /* /opt holds the host's /opt children but a host /opt/ml, which the job's folder replaces. */
    char host_opt[PATH_MAX], new_opt[PATH_MAX];
    path_join(host_opt, old_root, "/opt");
    path_join(new_opt, new_root, "/opt");
    if (mkdir(new_opt, 0755) != 0) SETUP_FAIL("mkdir %s", new_opt);
    struct stat status;
    if (lstat(host_opt, &status) == 0 && S_ISDIR(status.st_mode)) {
        static const char *const opt_skipped[] = {"ml", NULL};
        mirror_children(host_opt, new_opt, opt_skipped, options->readonly_host);
    }
    path_join(source, old_root, options->opt_ml);
    path_join(target, new_root, "/opt/ml");
    bind_folder(source, target);
    bind_requested(old_root, new_root, options);
}
