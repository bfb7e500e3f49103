/* sagebox-launcher [options] -- PROGRAM [ARG...]
 *
 * Sets up a processing job's view of the file system and execs PROGRAM in place (no fork: the
 * launcher's pid is the job's, its exit status the job's). Options:
 *   --opt-ml DIR        (required) DIR appears at /opt/ml, read-write; the host's /opt/ml is untouched
 *   --tmp DIR           (required) DIR appears at /tmp, read-write
 *   --hide DIR          (repeatable) DIR is covered by an empty read-only tmpfs; skipped if absent
 *   --bind DIR          (repeatable) host folder DIR appears at its own path, even under /tmp or /opt
 *   --overlay LOWER:UPPER:WORK:TARGET  (repeatable) overlayfs at TARGET (a path in the job's view)
 *   --workdir DIR       working directory in the job's view, default /
 *   --error-file PATH   where a launcher failure is described in one line
 * Exit codes of the launcher: 125 setup failed, 126 PROGRAM not executable, 127 PROGRAM not found;
 * otherwise the exit status is PROGRAM's own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>

#include "launcher.h"

/* Later steps (cgroup limits, rlimits, network namespace, read-only host) slot in between these. */
int main(int argc, char **argv) {
    process_reset_signals();
    process_close_inherited_fds();
    failure_init(options_find_error_file(argc, argv));

    struct launch_options options;
    options_parse(argc, argv, &options);

    process_new_session();
    namespace_enter();
    rootfs_build(&options);
    rootfs_hide(&options);
    if (chdir(options.workdir) != 0) SETUP_FAIL("chdir %s", options.workdir);

    process_exec(options.program_argv);
}
