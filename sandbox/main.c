/* sagebox-launcher [options] -- PROGRAM [ARG...]
 *
 * Sets up a processing job's view of the file system and runs PROGRAM in a PID namespace of its own
 * (pidns.c): the launcher's pid leads the job's process group, and its exit status is the job's. Options:
 *   --opt-ml DIR        (required) DIR appears at /opt/ml, read-write; the host's /opt/ml is untouched
 *   --tmp DIR           (required) DIR appears at /tmp, read-write
 *   --hide DIR          (repeatable) DIR is covered by an empty read-only tmpfs; skipped if absent
 *   --bind DIR          (repeatable) host folder DIR appears at its own path, even under /tmp or /opt
 *   --show HOST:TARGET  (repeatable) host folder HOST appears at TARGET, read-only (`docker -v HOST:TARGET:ro`)
 *   --overlay LOWER:UPPER:WORK:TARGET  (repeatable) overlayfs at TARGET (a path in the job's view)
 *   --workdir DIR       working directory in the job's view, default /
 *   --error-file PATH   where a launcher failure is described in one line
 *   --readonly-host     every host entry in the job's view (and the view's root) is read-only, recursively;
 *                       /opt/ml with its overlays, /tmp and /dev stay writable
 *   --layer DIR         a container's writable file system: every host folder is an overlay whose upper
 *                       layer is in DIR, the root is DIR/root, /root /home /run /var/tmp are the job's own
 *                       and /etc's secrets absent; the host never changes (hostview.c)
 *   --host-path PATH    (repeatable) the host paths the job sees; without it, every top-level entry
 *   --no-network        a network namespace of the job's own, with only loopback (up)
 *   --netns PATH        join the job's network namespace (/proc/<pid>/ns/net of `--hold-network`'s keeper)
 *   --userns PATH       join the user namespace owning it first (a normal user)
 *   --resolv-conf PATH  host file PATH appears read-only at /etc/resolv.conf
 *   --shm-size BYTES    the size of the job's /dev/shm tmpfs (the instance's memory: its pages count there)
 * sagebox-launcher --hold-network [--endpoint-port PORT]: the job's network namespace (netholder.c)
 *   --hostname NAME     a UTS namespace of the job's own whose host name is NAME (`hostname` prints it);
 *                       /etc/hostname holds NAME, read-only, where the host has an /etc/hostname
 *   --hosts-file PATH   host file PATH appears read-only at /etc/hosts (the host's /etc is untouched)
 *   --nofile N          RLIMIT_NOFILE soft and hard N (a normal user gets at most its hard limit)
 *   --nproc N           RLIMIT_NPROC soft and hard N (same)
 *   --die-with-parent   the job gets SIGKILL when the launcher's parent (the spawning thread) ends
 *   --cgroup DIR        (repeatable) the launcher joins cgroup DIR (DIR/cgroup.procs, else DIR/tasks)
 *                       before any setup, so the job and all its children are in it: one DIR per v1
 *                       controller, or one v2 DIR
 * Always: a PID namespace of the job's own with a fresh /proc (/proc/sys and a few others read-only);
 * /sys is read-only (its cgroup files would let a root job leave its cgroups); the job's /dev is minimal (null, zero, full, random, urandom, tty, its own pts, a /dev/shm
 * tmpfs, fd/stdin/stdout/stderr links); no_new_privs is set; a root job loses the capabilities that
 * could undo the sandbox (privileges.c).
 * Exit codes of the launcher: 125 setup failed, 126 PROGRAM not executable, 127 PROGRAM not found;
 * otherwise the exit status is PROGRAM's own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "launcher.h"

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--hold-network") == 0) return netholder_main(argc, argv);
    int parent = (int)getppid(); /* before anything can make the launcher an orphan unnoticed */
    process_reset_signals();
    process_close_inherited_fds();
    failure_init(options_find_error_file(argc, argv));

    struct launch_options options;
    options_parse(argc, argv, &options);

    limits_join_cgroups(&options);
    process_new_session();
    namespace_enter(&options);
    if (options.no_network) network_bring_up_loopback();
    hostname_set(&options);
    if (options.die_with_parent) process_die_with_parent(parent);
    pidns_fork_init(); /* from here on, init: PID 1 of the job's PID namespace (pidns.c) */
    rootfs_build(&options);
    rootfs_hide(&options);
    if (options.readonly_host && options.layer == NULL) readonly_seal_root();
    if (options.layer != NULL) hostview_make_folders(options.workdir); /* as a Dockerfile's WORKDIR makes it */
    if (chdir(options.workdir) != 0) SETUP_FAIL("chdir %s", options.workdir);

    limits_apply_rlimits(&options);
    privileges_drop();
    pidns_start_job(); /* from here on, the job: PID 2 */
    process_exec(options.program_argv);
}
