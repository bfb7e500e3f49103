/* The host as the job sees it.
 *
 * Which host paths: with --host-path, only those (the image's runtime: system folders, its venv through
 * --bind); without, every top-level entry of the host's root. Never the host's /tmp (the job's own), /dev
 * (a minimal one, devices.c), /proc (the job's own PID namespace's) or /opt/ml (the job's folder); /sys
 * always, read-only.
 *
 * How: with --layer (a container's writable file system, spec §13), each host folder is an overlay
 * whose upper layer lives in the layer folder on the instance's volume: the job may write anywhere,
 * its writes count in VolumeSizeInGB and vanish with the job, and the host never changes. The root
 * itself is the layer's `root` folder, and a container's private folders (/root, /home, /run,
 * /var/tmp) are empty folders of the job's own, whatever the host has there; /etc's secrets are
 * absent. Without --layer, host folders are bound, read-only with --readonly-host, on a tmpfs root.
 * Nothing is created on the host outside the layer: every mount point made here lives on the new root. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
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
    if (symlink(link_target, target) != 0 && errno != EEXIST) SETUP_FAIL("symlink %s", target);
}

/* mkdir -p inside the new root; the parents it creates live on the new root or in the job's own folders
 * (a bind under /tmp creates its parents in the job's /tmp folder). */
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

/* A folder of the layer (a host path, reached under old_root), created when missing. */
static void layer_folder(char *out, const char *old_root, const struct launch_options *options, const char *name) {
    char layer[PATH_MAX];
    path_join(layer, old_root, options->layer);
    path_join(out, layer, name);
    hostview_make_folders(out);
}

/* The host folder `source` at `target` as an overlay on a layer of its own: the job writes its upper layer. */
static void overlay_folder(const char *old_root, const char *source, const char *target, const struct launch_options *options) {
    static int layers = 0;
    char name[64], upper[PATH_MAX], work[PATH_MAX], data[3 * PATH_MAX + 64];
    snprintf(name, sizeof name, "layers/%d/upper", layers);
    layer_folder(upper, old_root, options, name);
    snprintf(name, sizeof name, "layers/%d/work", layers++);
    layer_folder(work, old_root, options, name);
    /* overlayfs takes its layers in one comma-separated option string, which has no escape for ',' or ':'. */
    if (strpbrk(source, ",:\\") != NULL) failure_exit(LAUNCHER_EXIT_SETUP, EINVAL, "overlay %s: path contains ',', ':' or '\\'", host_path(source));
    int length = snprintf(data, sizeof data, "lowerdir=%s,upperdir=%s,workdir=%s", source, upper, work);
    if (length < 0 || (size_t)length >= sizeof data) failure_exit(LAUNCHER_EXIT_SETUP, ENAMETOOLONG, "overlay %s", host_path(source));
    /* The merged folder shows its upper folder's owner and mode: the host folder's, where the launcher may set them. */
    struct stat lower;
    if (stat(source, &lower) == 0) {
        if (chmod(upper, lower.st_mode & 07777) != 0) SETUP_FAIL("chmod %s", upper);
        if (geteuid() == 0 && chown(upper, lower.st_uid, lower.st_gid) != 0 && errno != EINVAL) SETUP_FAIL("chown %s", upper);
    }
    if (mkdir(target, 0755) != 0 && errno != EEXIST) SETUP_FAIL("mkdir %s", target);
    if (hostview_mount_overlay(target, data) != 0) SETUP_FAIL("overlay %s", host_path(source));
}

/* A throwaway layer: `volatile` (Linux 5.10) skips syncing the upper file system when the job's mount
 * namespace goes, which otherwise costs milliseconds per overlay at every job's exit, and the features
 * a container layer never needs are off. A kernel that does not know an option refuses it (EINVAL):
 * then the plain mount. Measured here: about half the mount-to-unmount time per overlay. */
int hostview_mount_overlay(const char *target, const char *layers) {
    char data[3 * PATH_MAX + 128];
    int length = snprintf(data, sizeof data, "%s,volatile,index=off,xino=off,metacopy=off,redirect_dir=off", layers);
    if (length > 0 && (size_t)length < sizeof data && mount("overlay", target, "overlay", 0, data) == 0) return 0;
    return mount("overlay", target, "overlay", 0, layers);
}

/* One host entry at `target`: a symlink recreated, a folder overlaid (--layer) or bound, a file bound. */
static void mirror_entry(const char *old_root, const char *source, const char *target, const struct launch_options *options) {
    struct stat status;
    if (lstat(source, &status) != 0) SETUP_FAIL("stat %s", source);
    if (S_ISLNK(status.st_mode)) {
        copy_symlink(source, target);
        return;
    }
    if (S_ISDIR(status.st_mode) && options->layer != NULL) {
        overlay_folder(old_root, source, target, options);
        return;
    }
    if (S_ISDIR(status.st_mode)) bind_folder(source, target);
    else hostview_bind_file(source, target);
    if (options->readonly_host || options->layer != NULL) readonly_mount_tree(target);
}

static int is_skipped(const char *name, const char *const *skipped) {
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) return 1;
    for (; *skipped != NULL; skipped++) {
        if (strcmp(name, *skipped) == 0) return 1;
    }
    return 0;
}

/* Recreates each child of source_folder (but the skipped names) inside target_folder. */
static void mirror_children(const char *old_root, const char *source_folder, const char *target_folder,
                            const char *const *skipped, const struct launch_options *options) {
    DIR *folder = opendir(source_folder);
    if (folder == NULL) SETUP_FAIL("open %s", source_folder);
    struct dirent *entry;
    while ((errno = 0, entry = readdir(folder)) != NULL) {
        if (is_skipped(entry->d_name, skipped)) continue;
        char source[PATH_MAX], target[PATH_MAX];
        path_join(source, source_folder, entry->d_name);
        path_join(target, target_folder, entry->d_name);
        mirror_entry(old_root, source, target, options);
    }
    if (errno != 0) SETUP_FAIL("read %s", source_folder);
    closedir(folder);
}

/* --host-path: each listed path at its own place (parents made on the new root); a missing one is skipped. */
static void mirror_host_paths(const char *old_root, const char *new_root, const struct launch_options *options) {
    for (size_t i = 0; i < options->host_path_count; i++) {
        const char *path = options->host_paths[i];
        if (strcmp(path, "/opt") == 0 || strcmp(path, "/sys") == 0) continue; /* handled on their own */
        char source[PATH_MAX], target[PATH_MAX];
        path_join(source, old_root, path);
        path_join(target, new_root, path);
        struct stat status;
        if (lstat(source, &status) != 0) continue;
        char parent[PATH_MAX];
        snprintf(parent, sizeof parent, "%s", target);
        *strrchr(parent, '/') = '\0';
        hostview_make_folders(parent);
        mirror_entry(old_root, source, target, options);
    }
}

static int lists_host_path(const struct launch_options *options, const char *path) {
    for (size_t i = 0; i < options->host_path_count; i++) {
        if (strcmp(options->host_paths[i], path) == 0) return 1;
    }
    return options->host_path_count == 0;
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

/* --bind: host folders the job's runtime needs (a Python environment, say) stay visible at their own
 * path even where the job's view replaces the host's folder, as under /tmp or /root. */
static void bind_requested(const char *old_root, const char *new_root, const struct launch_options *options) {
    for (size_t i = 0; i < options->bind_count; i++) {
        char source[PATH_MAX], target[PATH_MAX];
        path_join(source, old_root, options->binds[i]);
        path_join(target, new_root, options->binds[i]);
        hostview_make_folders(target);
        if (options->layer != NULL) {
            overlay_folder(old_root, source, target, options);
            continue;
        }
        if (mount(source, target, NULL, MS_BIND | MS_REC, NULL) != 0) SETUP_FAIL("bind %s", options->binds[i]);
        if (options->readonly_host) readonly_mount_tree(target);
    }
}

/* --show: a host folder at another path, read-only whatever --layer says: the job reads the runtime's
 * program there but can neither write through it to the host nor replace what it holds (the mount is
 * read-only, and a mount point cannot be renamed or removed). Last, so nothing mounted later covers it. */
static void show_requested(const char *old_root, const char *new_root, const struct launch_options *options) {
    for (size_t i = 0; i < options->show_count; i++) {
        char source[PATH_MAX], target[PATH_MAX];
        path_join(source, old_root, options->shows[i].host);
        path_join(target, new_root, options->shows[i].target);
        hostview_make_folders(target);
        if (mount(source, target, NULL, MS_BIND | MS_REC, NULL) != 0) SETUP_FAIL("show %s at %s", options->shows[i].host, options->shows[i].target);
        readonly_mount_tree(target);
    }
}

/* A container's private folders: empty folders of the job's own on the layer, whatever the host has there
 * (an earlier overlay of /var brings the host's /var/tmp: an empty folder is bound over it). */
static void own_private_folders(const char *old_root, const char *new_root, const struct launch_options *options) {
    static const char *const private_folders[] = {"/root", "/home", "/run", "/var/tmp", NULL};
    for (const char *const *path = private_folders; *path != NULL; path++) {
        char target[PATH_MAX];
        path_join(target, new_root, *path);
        struct stat status;
        if (lstat(target, &status) != 0) {
            hostview_make_folders(target);
            if (strcmp(*path, "/root") == 0) chmod(target, 0700);
            continue;
        }
        char own[PATH_MAX], name[64];
        snprintf(name, sizeof name, "own%s", *path);
        layer_folder(own, old_root, options, name);
        if (!S_ISDIR(status.st_mode)) continue; /* a host symlink (/var/run -> /run, say) resolves to an own folder */
        if (mount(own, target, NULL, MS_BIND, NULL) != 0) SETUP_FAIL("own %s", *path);
    }
}

/* Host secrets under /etc are absent: removed from the job's overlay of /etc (a whiteout in its upper
 * layer; the host's files stay). Where the launcher may not (a normal user), the host's permissions
 * already keep them from the job. */
static void remove_secrets(const char *new_root) {
    static const char *const secrets[] = {"/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-", "/etc/ssh/ssh_host_*", NULL};
    for (const char *const *pattern = secrets; *pattern != NULL; pattern++) {
        char full[PATH_MAX];
        path_join(full, new_root, *pattern);
        glob_t found;
        if (glob(full, GLOB_NOSORT, NULL, &found) != 0) continue;
        for (size_t i = 0; i < found.gl_pathc; i++) {
            if (unlink(found.gl_pathv[i]) != 0 && errno != ENOENT && errno != EACCES && errno != EPERM)
                SETUP_FAIL("remove %s", found.gl_pathv[i]);
        }
        globfree(&found);
    }
}

void hostview_mirror(const char *old_root, const char *new_root, const struct launch_options *options) {
    if (options->host_path_count > 0) {
        mirror_host_paths(old_root, new_root, options);
    } else {
        static const char *const top_level_skipped[] = {"tmp", "opt", "dev", "proc", "sys", NULL};
        mirror_children(old_root, old_root, new_root, top_level_skipped, options);
    }

    /* /sys is always read-only, as in a container: through /sys/fs/cgroup a root job could leave its cgroups. */
    char source[PATH_MAX], target[PATH_MAX];
    path_join(source, old_root, "/sys");
    path_join(target, new_root, "/sys");
    bind_folder(source, target);
    readonly_mount_tree(target);

    char devices[PATH_MAX];
    path_join(devices, new_root, "/dev");
    devices_build(old_root, devices);
    mount_proc(new_root);

    path_join(source, old_root, options->tmp);
    path_join(target, new_root, "/tmp");
    bind_folder(source, target);

    /* /opt holds the host's /opt children but a host /opt/ml, which the job's folder replaces: with --layer,
     * one overlay of the whole /opt with the job's folder bound over /opt/ml; without, each child bound. */
    char host_opt[PATH_MAX], new_opt[PATH_MAX];
    path_join(host_opt, old_root, "/opt");
    path_join(new_opt, new_root, "/opt");
    if (mkdir(new_opt, 0755) != 0 && errno != EEXIST) SETUP_FAIL("mkdir %s", new_opt);
    struct stat status;
    if (lists_host_path(options, "/opt") && lstat(host_opt, &status) == 0 && S_ISDIR(status.st_mode)) {
        static const char *const opt_skipped[] = {"ml", NULL};
        if (options->layer != NULL) overlay_folder(old_root, host_opt, new_opt, options);
        else mirror_children(old_root, host_opt, new_opt, opt_skipped, options);
    }
    path_join(source, old_root, options->opt_ml);
    path_join(target, new_root, "/opt/ml");
    bind_folder(source, target);
    if (options->layer != NULL) {
        own_private_folders(old_root, new_root, options);
        remove_secrets(new_root);
    }
    bind_requested(old_root, new_root, options);
    show_requested(old_root, new_root, options);
}

/* With --layer, the job's root is the layer's `root` folder on its volume, so that `mkdir /x` works and
 * counts there; without, a tmpfs (sealed read-only by --readonly-host). */
void hostview_mount_root(const char *old_root, const char *new_root, const struct launch_options *options) {
    if (options->layer == NULL) {
        if (mount("tmpfs", new_root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0) SETUP_FAIL("mount new root tmpfs");
        return;
    }
    char root[PATH_MAX];
    layer_folder(root, old_root, options, "root");
    if (mount(root, new_root, NULL, MS_BIND, NULL) != 0) SETUP_FAIL("bind the job's root %s", options->layer);
}
