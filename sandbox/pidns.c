/* The job's own PID namespace: the job sees and can signal only its own processes, and no job reaches
 * another job, sagebox or the host through /proc (a fresh procfs, hostview.c).
 *
 * Three processes, as `docker run --init` has them:
 *   the supervisor  the launcher as started (outside the namespace): its pid is the one the caller knows,
 *                   the leader of the job's process group; it waits for init and ends as the job ended
 *                   (the same exit code, or killed by the same signal);
 *   init            PID 1 of the namespace: finishes the setup, starts the job and reaps every orphan;
 *                   once the job's main process ends it exits, and the kernel kills whatever is left;
 *   the job         PID 2, the program itself.
 * All three stay in the process group the caller signals: a stop's SIGTERM reaches the job's processes
 * directly, and the supervisor and init only note it (a handler, so that they outlive it and report). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launcher.h"

static int status_write = -1;

/* What the caller sends the group (and a terminal might): the launcher's own processes survive them. */
static const int group_signals[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, 0};

/* The last group signal that reached the supervisor or init: one that came before the job existed
 * (a stop during setup) ends the run as if it had reached the job. Copied into init by fork. */
static volatile sig_atomic_t noted_signal = 0;

static void noted(int signal_number) { noted_signal = signal_number; }

static void set_group_signals_blocked(int how) {
    sigset_t group;
    sigemptyset(&group);
    for (const int *signal_number = group_signals; *signal_number != 0; signal_number++) sigaddset(&group, *signal_number);
    if (sigprocmask(how, &group, NULL) != 0) SETUP_FAIL("mask signals");
}

/* A group signal noted, or pending while blocked: the number, or 0. */
static int signal_before_job(void) {
    if (noted_signal != 0) return noted_signal;
    sigset_t pending;
    sigpending(&pending);
    for (const int *signal_number = group_signals; *signal_number != 0; signal_number++) {
        if (sigismember(&pending, *signal_number)) return *signal_number;
    }
    return 0;
}

static void report(int status) {
    ssize_t written;
    do written = write(status_write, &status, sizeof status);
    while (written < 0 && errno == EINTR);
}

/* A handler, not SIG_IGN: exec resets handled signals to their default, so the job starts clean. */
static void outlive_group_signals(void) {
    struct sigaction action = {.sa_handler = noted};
    sigemptyset(&action.sa_mask);
    for (const int *signal_number = group_signals; *signal_number != 0; signal_number++) {
        if (sigaction(*signal_number, &action, NULL) != 0) SETUP_FAIL("handle signal %d", *signal_number);
    }
}

static int read_all(int fd, void *buffer, size_t length) {
    size_t done = 0;
    while (done < length) {
        ssize_t count = read(fd, (char *)buffer + done, length - done);
        if (count < 0 && errno == EINTR) continue;
        if (count <= 0) return 0;
        done += (size_t)count;
    }
    return 1;
}

/* Ends the calling process as `status` says the job ended: the same code, or the same signal. */
static _Noreturn void end_as(int status) {
    if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
    int signal_number = WIFSIGNALED(status) ? WTERMSIG(status) : SIGKILL;
    struct sigaction default_action = {.sa_handler = SIG_DFL};
    sigemptyset(&default_action.sa_mask);
    sigaction(signal_number, &default_action, NULL);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, signal_number);
    sigprocmask(SIG_UNBLOCK, &only, NULL);
    raise(signal_number);
    _exit(128 + signal_number);
}

/* The supervisor: waits for init, reads the job's wait status from it, and ends the same way. */
static _Noreturn void supervise(pid_t init, int status_read) {
    int init_status = 0;
    while (waitpid(init, &init_status, 0) < 0) {
        if (errno != EINTR) failure_exit(LAUNCHER_EXIT_SETUP, errno, "wait for the job's init");
    }
    int job_status;
    /* Init reports the job's status before it exits; without a report, init itself ended the run
     * (a setup failure's exit code, or a kill). */
    if (read_all(status_read, &job_status, sizeof job_status)) end_as(job_status);
    end_as(init_status);
}

void pidns_fork_init(void) {
    int status_pipe[2];
    if (pipe2(status_pipe, O_CLOEXEC) != 0) SETUP_FAIL("pipe");
    outlive_group_signals();
    pid_t init = fork();
    if (init < 0) SETUP_FAIL("fork the job's init");
    if (init > 0) {
        close(status_pipe[1]);
        supervise(init, status_pipe[0]);
    }
    close(status_pipe[0]);
    status_write = status_pipe[1];
    /* Init dies with the supervisor, and so, with it, the whole namespace. The supervisor may already be
     * gone: then the pipe has no reader left. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) SETUP_FAIL("set init's parent-death signal");
    struct pollfd check = {.fd = status_write, .events = 0};
    if (poll(&check, 1, 0) > 0 && (check.revents & POLLERR)) _exit(LAUNCHER_EXIT_SETUP);
}

void pidns_start_job(void) {
    /* Blocked from the check to the fork: a signal then is either seen here, or reaches the job too. */
    set_group_signals_blocked(SIG_BLOCK);
    int early = signal_before_job();
    if (early != 0) {
        report(W_EXITCODE(0, early)); /* stopped before it started: ended by that signal */
        _exit(0);
    }
    pid_t job = fork();
    if (job < 0) SETUP_FAIL("fork the job");
    if (job == 0) {
        close(status_write);
        set_group_signals_blocked(SIG_UNBLOCK);
        return; /* the job: back to exec */
    }
    set_group_signals_blocked(SIG_UNBLOCK);
    /* Init: reap every process until the job's own ends. */
    for (;;) {
        int status;
        pid_t ended = waitpid(-1, &status, 0);
        if (ended < 0) {
            if (errno == EINTR) continue;
            failure_exit(LAUNCHER_EXIT_SETUP, errno, "wait for the job");
        }
        if (ended != job) continue;
        report(status);
        _exit(0);
    }
}
