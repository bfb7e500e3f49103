/* The job process itself: its session, its signals, its file descriptors, and the exec. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "launcher.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* A caller spawning from a SwiftNIO thread hands down a blocked SIGTERM/SIGINT and an ignored SIGPIPE;
 * the job must get a fresh signal state, as a container's process 1 does. Done first, so a stop
 * during setup also ends the launcher. */
void process_reset_signals(void) {
    struct sigaction default_action = {.sa_handler = SIG_DFL};
    sigemptyset(&default_action.sa_mask);
    for (int signal_number = 1; signal_number < NSIG; signal_number++) {
        if (signal_number == SIGKILL || signal_number == SIGSTOP) continue;
        if (sigaction(signal_number, &default_action, NULL) == 0) continue;
        /* glibc refuses its own signals (32, 33), which a caller may still hand down ignored. A zeroed
         * kernel sigaction is SIG_DFL with an empty mask on every architecture. */
        unsigned long kernel_default[4] = {0, 0, 0, 0};
        (void)syscall(SYS_rt_sigaction, signal_number, kernel_default, NULL, (size_t)(_NSIG / 8));
    }
    sigset_t none;
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &none, NULL) != 0) SETUP_FAIL("unblock signals");
}

/* Descriptors leaked by the caller must not reach the job: mark every one above stderr close-on-exec. */
void process_close_inherited_fds(void) {
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
    long maximum = sysconf(_SC_OPEN_MAX); /* kernels before 5.11 */
    if (maximum < 0 || maximum > 1048576) maximum = 1048576;
    for (int fd = 3; fd < maximum; fd++) (void)close(fd);
}

/* Its own session and process group, so that the caller stops every process of the job with kill(-pid).
 * setsid fails for a process group leader: Foundation's Process already makes the child one
 * (POSIX_SPAWN_SETPGROUP), which gives the same kill(-pid). */
void process_new_session(void) {
    if (setsid() >= 0) return;
    int setsid_error = errno;
    if (getpgrp() == getpid()) return;
    failure_exit(LAUNCHER_EXIT_SETUP, setsid_error, "setsid");
}

/* The job must not outlive the sagebox process that runs it (a server killed with SIGKILL cannot stop it):
 * the kernel sends SIGKILL when the launcher's parent goes. Set just before exec, since a change of
 * effective ids clears it; a parent already gone by then (the launcher re-parented) ends the launcher.
 * The parent is the spawning thread to the kernel: the caller spawns from a thread that lives until
 * the job has exited. */
void process_die_with_parent(int parent) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) SETUP_FAIL("set the parent-death signal");
    if (getppid() != parent) failure_exit(LAUNCHER_EXIT_SETUP, ESRCH, "the process that started the job is gone");
}

/* execvp: PROGRAM is looked up on the PATH of the job's environment; argv and environment are passed as is. */
_Noreturn void process_exec(char **program_argv) {
    execvp(program_argv[0], program_argv);
    int exec_error = errno;
    int exit_code = (exec_error == ENOENT || exec_error == ENOTDIR) ? LAUNCHER_EXIT_NOT_FOUND : LAUNCHER_EXIT_NOT_EXECUTABLE;
    failure_exit(exit_code, exec_error, "exec %s", program_argv[0]);
}
