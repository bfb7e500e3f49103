/*
 * sagebox-launcher: sets up a processing job's view of the file system, then execs the job.
 *
 * The setup runs in clear steps (see main.c); each concern lives in its own file:
 *   options.c   the command line
 *   failure.c   reporting a failure (stderr, --error-file, exit code)
 *   process.c   session, signals and file descriptors of the job process
 *   namespace.c mount (and, without root, user) namespaces; network and UTS ones when asked
 *   rootfs.c    the job's root: a fresh tmpfs, pivots, overlays, hidden folders
 *   hostview.c  the host's entries, /tmp and /opt/ml inside that root
 *   devices.c   the job's minimal /dev
 *   readonly.c  the host's entries made read-only (--readonly-host)
 *   network.c   loopback of the job's own network namespace (--no-network)
 *   limits.c    cgroups joined (--cgroup) and rlimits (--nofile, --nproc)
 *   hostname.c  the job's host name, /etc/hostname and /etc/hosts (--hostname, --hosts-file)
 *   privileges.c no_new_privs and the capabilities a root job keeps
 *   pidns.c     the job's PID namespace: the supervisor, init and the job
 */
#ifndef SAGEBOX_LAUNCHER_H
#define SAGEBOX_LAUNCHER_H

#include <stddef.h>

/* Exit codes of the launcher itself, as a shell reports them (`env`, `nohup` use the same). */
enum {
    LAUNCHER_EXIT_SETUP = 125,          /* the launcher could not set up the job */
    LAUNCHER_EXIT_NOT_EXECUTABLE = 126, /* PROGRAM was found but could not be executed */
    LAUNCHER_EXIT_NOT_FOUND = 127,      /* PROGRAM was not found */
};

/* One --overlay LOWER:UPPER:WORK:TARGET. LOWER, UPPER, WORK are host paths (resolved with realpath),
 * TARGET a path in the job's view. */
struct show_spec {
    char *host;         /* resolved with realpath on the host's side */
    const char *target; /* a path of the job's view */
};

struct overlay_spec {
    char *lower;
    char *upper;
    char *work;
    char *target;
};

/* Everything the command line asks for. Memory, CPU and pids limits live in the cgroups the caller
 * creates and names with --cgroup. */
struct launch_options {
    const char *opt_ml;     /* --opt-ml: host folder shown at /opt/ml (resolved with realpath) */
    const char *tmp;        /* --tmp: host folder shown at /tmp (resolved with realpath) */
    const char *workdir;    /* --workdir: working directory of the job, default "/" */
    const char *error_file; /* --error-file: where a failure is described, or NULL */
    const char **hides;     /* --hide: folders covered by an empty read-only tmpfs */
    size_t hide_count;
    const char **binds;     /* --bind: host folders shown at their own path, even under /tmp or /opt */
    size_t bind_count;
    struct show_spec *shows; /* --show: host folders shown read-only at another path */
    size_t show_count;
    struct overlay_spec *overlays; /* --overlay */
    size_t overlay_count;
    const char **opt_ml_binds; /* --opt-ml-bind: paths under /opt/ml shown from --opt-ml over the overlays
                                  (an output folder or a Pipe FIFO inside a staged input's folder), in order */
    size_t opt_ml_bind_count;
    const char **cgroups;   /* --cgroup: cgroup folders the job joins before anything else */
    size_t cgroup_count;
    int readonly_host;      /* --readonly-host: the host's entries and the root are read-only */
    const char *layer;      /* --layer: host folder of the container's writable layer (resolved), or NULL */
    const char **host_paths; /* --host-path: the host paths the job sees (all top-level entries when none) */
    size_t host_path_count;
    int no_network;         /* --no-network: own network namespace with only loopback */
    const char *netns;      /* --netns: the job's network namespace to join (a /proc/<pid>/ns/net), or NULL */
    const char *userns;     /* --userns: the user namespace owning it, joined first (a normal user), or NULL */
    const char *resolv_conf; /* --resolv-conf: host file shown read-only at /etc/resolv.conf, or NULL */
    const char *hostname;   /* --hostname: the job's host name (own UTS namespace, /etc/hostname), or NULL */
    const char *hosts_file; /* --hosts-file: host file shown read-only at /etc/hosts (resolved with realpath), or NULL */
    int die_with_parent;    /* --die-with-parent: SIGKILL when the process that started the launcher dies */
    unsigned long nofile;   /* --nofile: RLIMIT_NOFILE, 0 = inherited */
    unsigned long nproc;    /* --nproc: RLIMIT_NPROC, 0 = inherited */
    char **program_argv;    /* PROGRAM [ARG...], NULL-terminated */
};

/* options.c */
const char *options_find_error_file(int argc, char **argv);
void options_parse(int argc, char **argv, struct launch_options *options);

/* failure.c */
void failure_init(const char *error_file);
_Noreturn void failure_exit(int exit_code, int error_number, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
/* Shorthand for a failed setup call: reports errno and exits 125. */
#define SETUP_FAIL(...) failure_exit(LAUNCHER_EXIT_SETUP, errno, __VA_ARGS__)

/* pidns.c: fork the supervisor and init (returns in init), then init and the job (returns in the job) */
void pidns_fork_init(void);
void pidns_start_job(void);

/* process.c */
void process_reset_signals(void);
void process_close_inherited_fds(void);
void process_new_session(void);
void process_die_with_parent(int parent);
_Noreturn void process_exec(char **program_argv);

/* namespace.c */
void namespace_enter(const struct launch_options *options);
void namespace_enter_user(int other_namespaces);

/* netholder.c: `sagebox-launcher --hold-network`, the job's shared network namespace and endpoint relay */
int netholder_main(int argc, char **argv);

/* hostname.c */
void hostname_set(const struct launch_options *options);
void hostname_bind_etc_files(const char *old_root, const char *new_root, const struct launch_options *options);

/* network.c */
void network_bring_up_loopback(void);

/* limits.c */
void limits_join_cgroups(const struct launch_options *options);
void limits_apply_rlimits(const struct launch_options *options);

/* privileges.c */
void privileges_drop(void);

/* devices.c: the job's /dev at target (a path under the new root), device nodes bound from old_root. */
void devices_build(const char *old_root, const char *target);
/* --shm-size BYTES: the size of the job's /dev/shm tmpfs (set while the options are parsed). */
void devices_set_shm_size(unsigned long bytes);

/* readonly.c */
void readonly_mount_tree(const char *path);
void readonly_seal_root(void);

/* rootfs.c */
void rootfs_build(const struct launch_options *options);
void rootfs_hide(const struct launch_options *options);
void path_join(char *out, const char *first, const char *second);

/* hostview.c: while the host's root is at old_root, recreate its view under new_root. */
void hostview_mirror(const char *old_root, const char *new_root, const struct launch_options *options);
void hostview_make_folders(const char *path);
void hostview_bind_file(const char *source, const char *target);
void hostview_mount_root(const char *old_root, const char *new_root, const struct launch_options *options);
int hostview_mount_overlay(const char *target, const char *layers);

#endif
