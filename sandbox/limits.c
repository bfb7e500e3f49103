/* Limits the caller asked for: the cgroups it created (memory, CPU, pids), and rlimits. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "launcher.h"

/* 1 when the pid was written, 0 when DIR has no such file. */
static int write_pid(const char *folder, const char *file) {
    char path[PATH_MAX], pid[32];
    path_join(path, folder, file);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) return 0;
    if (fd < 0) SETUP_FAIL("--cgroup %s: open %s", folder, file);
    int length = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
    if (write(fd, pid, (size_t)length) != length) SETUP_FAIL("--cgroup %s: join", folder);
    close(fd);
    return 1;
}

/* Joined first, while the host's /sys is still the root's, and before any setup runs: the job and
 * every process it starts are then counted and limited, and the caller can kill them all. cgroup.procs
 * exists in v2 and v1; `tasks` (v1 only) is the fallback for old v1 kernels. */
void limits_join_cgroups(const struct launch_options *options) {
    for (size_t i = 0; i < options->cgroup_count; i++) {
        if (write_pid(options->cgroups[i], "cgroup.procs")) continue;
        if (write_pid(options->cgroups[i], "tasks")) continue;
        failure_exit(LAUNCHER_EXIT_SETUP, ENOENT, "--cgroup %s: not a cgroup folder", options->cgroups[i]);
    }
}

/* Soft and hard limit both, as a container sets them. Without CAP_SYS_RESOURCE (a normal user) the hard
 * limit cannot rise, so a value above it is lowered to it rather than failing the job. */
static void set_limit(int resource, const char *option, unsigned long value) {
    if (value == 0) return;
    struct rlimit limit = {value, value};
    if (setrlimit(resource, &limit) == 0) return;
    struct rlimit current;
    if (errno != EPERM || getrlimit(resource, &current) != 0) SETUP_FAIL("%s %lu", option, value);
    limit.rlim_cur = limit.rlim_max = current.rlim_max;
    if (setrlimit(resource, &limit) != 0) SETUP_FAIL("%s %lu", option, value);
}

void limits_apply_rlimits(const struct launch_options *options) {
    set_limit(RLIMIT_NOFILE, "--nofile", options->nofile);
    set_limit(RLIMIT_NPROC, "--nproc", options->nproc);
}
