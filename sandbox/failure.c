/* Reporting a failure of the launcher: one line on stderr and in --error-file, then the exit code.
 * The caller tells a launcher failure from the job's own exit code by the error file. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "launcher.h"

/* The error file's folder is opened before the root changes, since its host path is gone afterwards.
 * O_CLOEXEC: a successful exec closes it, so success leaves the file untouched. */
static int error_folder_fd = -1;
static char error_file_name[256];

void failure_init(const char *error_file) {
    if (error_file == NULL) return;
    char *for_dirname = strdup(error_file), *for_basename = strdup(error_file);
    if (for_dirname == NULL || for_basename == NULL) failure_exit(LAUNCHER_EXIT_SETUP, errno, "--error-file");
    const char *name = basename(for_basename);
    if (strlen(name) >= sizeof error_file_name || strcmp(name, "/") == 0)
        failure_exit(LAUNCHER_EXIT_SETUP, EINVAL, "--error-file %s: not a file name", error_file);
    strcpy(error_file_name, name);
    error_folder_fd = open(dirname(for_dirname), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (error_folder_fd < 0) failure_exit(LAUNCHER_EXIT_SETUP, errno, "--error-file %s: open folder", error_file);
    free(for_dirname);
    free(for_basename);
}

static void write_all(int fd, const char *text, size_t length) {
    while (length > 0) {
        ssize_t written = write(fd, text, length);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return;
        text += written;
        length -= (size_t)written;
    }
}

_Noreturn void failure_exit(int exit_code, int error_number, const char *format, ...) {
    char what[2048], line[2304];
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(what, sizeof what, format, arguments);
    va_end(arguments);
    int length = snprintf(line, sizeof line, "sagebox-launcher: %s: %s\n", what, strerror(error_number));
    if (length < 0 || (size_t)length >= sizeof line) length = (int)strlen(line);
    write_all(STDERR_FILENO, line, (size_t)length);
    if (error_folder_fd >= 0) {
        int fd = openat(error_folder_fd, error_file_name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd >= 0) {
            write_all(fd, line, (size_t)length);
            close(fd);
        }
    }
    _exit(exit_code);
}
