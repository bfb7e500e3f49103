/* The command line: sagebox-launcher [options] -- PROGRAM [ARG...] */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "launcher.h"

enum option_id {
    OPTION_OPT_ML = 256,
    OPTION_TMP,
    OPTION_HIDE,
    OPTION_BIND,
    OPTION_OVERLAY,
    OPTION_WORKDIR,
    OPTION_ERROR_FILE,
    OPTION_CGROUP,
    OPTION_READONLY_HOST,
    OPTION_NO_NETWORK,
    OPTION_NOFILE,
    OPTION_NPROC,
    OPTION_DIE_WITH_PARENT,
    OPTION_HOSTNAME,
    OPTION_HOSTS_FILE,
    OPTION_OPT_ML_BIND,
    OPTION_LAYER,
    OPTION_HOST_PATH,
    OPTION_NETNS,
    OPTION_USERNS,
    OPTION_RESOLV_CONF,
    OPTION_SHM_SIZE,
    OPTION_SHOW,
};

static const struct option long_options[] = {
    {"opt-ml", required_argument, NULL, OPTION_OPT_ML},
    {"tmp", required_argument, NULL, OPTION_TMP},
    {"hide", required_argument, NULL, OPTION_HIDE},
    {"bind", required_argument, NULL, OPTION_BIND},
    {"overlay", required_argument, NULL, OPTION_OVERLAY},
    {"workdir", required_argument, NULL, OPTION_WORKDIR},
    {"error-file", required_argument, NULL, OPTION_ERROR_FILE},
    {"cgroup", required_argument, NULL, OPTION_CGROUP},
    {"readonly-host", no_argument, NULL, OPTION_READONLY_HOST},
    {"no-network", no_argument, NULL, OPTION_NO_NETWORK},
    {"nofile", required_argument, NULL, OPTION_NOFILE},
    {"nproc", required_argument, NULL, OPTION_NPROC},
    {"die-with-parent", no_argument, NULL, OPTION_DIE_WITH_PARENT},
    {"hostname", required_argument, NULL, OPTION_HOSTNAME},
    {"hosts-file", required_argument, NULL, OPTION_HOSTS_FILE},
    {"opt-ml-bind", required_argument, NULL, OPTION_OPT_ML_BIND},
    {"layer", required_argument, NULL, OPTION_LAYER},
    {"host-path", required_argument, NULL, OPTION_HOST_PATH},
    {"netns", required_argument, NULL, OPTION_NETNS},
    {"userns", required_argument, NULL, OPTION_USERNS},
    {"resolv-conf", required_argument, NULL, OPTION_RESOLV_CONF},
    {"shm-size", required_argument, NULL, OPTION_SHM_SIZE},
    {"show", required_argument, NULL, OPTION_SHOW},
    {NULL, 0, NULL, 0},
};

#define BAD_OPTION(...) failure_exit(LAUNCHER_EXIT_SETUP, EINVAL, __VA_ARGS__)

/* The error file must be known before any other option can fail, so it is found first. */
const char *options_find_error_file(int argc, char **argv) {
    const char *found = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) break;
        if (strcmp(argv[i], "--error-file") == 0 && i + 1 < argc) found = argv[++i];
        else if (strncmp(argv[i], "--error-file=", 13) == 0) found = argv[i] + 13;
    }
    return found;
}

/* Absolute, and no ".." component: every path is joined under a new root, so it must not climb out. */
static void check_path(const char *option, const char *path) {
    if (path[0] != '/') BAD_OPTION("%s %s: path is not absolute", option, path);
    for (const char *p = path; (p = strstr(p, "..")) != NULL; p += 2) {
        if (p[-1] == '/' && (p[2] == '/' || p[2] == '\0')) BAD_OPTION("%s %s: path contains '..'", option, path);
    }
}

/* Host paths are resolved while the host's root is still the root: under the old root, an absolute
 * symlink on the way would resolve against the wrong root. */
static char *resolve_host_path(const char *option, const char *path) {
    check_path(option, path);
    char *resolved = realpath(path, NULL);
    if (resolved == NULL) SETUP_FAIL("%s %s", option, path);
    return resolved;
}

/* overlayfs takes its layers in one comma-separated option string, which has no escape for ',' or ':'. */
static char *resolve_layer_path(const char *path) {
    char *resolved = resolve_host_path("--overlay", path);
    if (strpbrk(resolved, ",:\\") != NULL) BAD_OPTION("--overlay %s: layer path contains ',', ':' or '\\'", resolved);
    return resolved;
}

/* LOWER:UPPER:WORK:TARGET; TARGET is the rest, so it may contain ':'. */
static void add_overlay(struct launch_options *options, const char *value) {
    char *copy = strdup(value);
    if (copy == NULL) SETUP_FAIL("--overlay");
    char *parts[4] = {copy, NULL, NULL, NULL};
    for (int i = 1; i < 4; i++) {
        char *colon = strchr(parts[i - 1], ':');
        if (colon == NULL) BAD_OPTION("--overlay %s: expected LOWER:UPPER:WORK:TARGET", value);
        *colon = '\0';
        parts[i] = colon + 1;
    }
    for (int i = 0; i < 4; i++) check_path("--overlay", parts[i]);
    struct overlay_spec *grown = realloc(options->overlays, (options->overlay_count + 1) * sizeof *grown);
    if (grown == NULL) SETUP_FAIL("--overlay");
    grown[options->overlay_count++] = (struct overlay_spec){
        resolve_layer_path(parts[0]), resolve_layer_path(parts[1]), resolve_layer_path(parts[2]), parts[3]};
    options->overlays = grown;
}

/* Appends `value` to a repeatable option's list. */
static void append(const char ***list, size_t *count, const char *value, const char *option) {
    const char **grown = realloc(*list, (*count + 1) * sizeof *grown);
    if (grown == NULL) SETUP_FAIL("%s", option);
    grown[(*count)++] = value;
    *list = grown;
}

/* A bind's path is resolved like any host path; it appears at that resolved path in the job's view. */
static void add_bind(struct launch_options *options, const char *value) {
    append(&options->binds, &options->bind_count, resolve_host_path("--bind", value), "--bind");
}

/* HOST:TARGET, as `docker -v HOST:TARGET:ro`: the host folder is resolved here, on the host's side,
 * before the root changes, so nothing the job (or its view) holds can redirect it. TARGET is a path of the
 * job's view outside its own folders (/opt/ml, /tmp, /dev, /proc, /sys). */
static void add_show(struct launch_options *options, const char *value) {
    const char *colon = strchr(value, ':');
    if (colon == NULL || colon == value || colon[1] == '\0') BAD_OPTION("--show %s: expected HOST:TARGET", value);
    char *host = strndup(value, (size_t)(colon - value));
    if (host == NULL) SETUP_FAIL("--show");
    const char *target = colon + 1;
    check_path("--show", target);
    static const char *const reserved[] = {"/", "/opt/ml", "/tmp", "/dev", "/proc", "/sys", NULL};
    for (const char *const *r = reserved; *r != NULL; r++) {
        size_t length = strlen(*r);
        if (strcmp(target, *r) == 0 || (length > 1 && strncmp(target, *r, length) == 0 && target[length] == '/'))
            BAD_OPTION("--show %s: TARGET may not be %s or inside it", value, *r);
    }
    struct show_spec *grown = realloc(options->shows, (options->show_count + 1) * sizeof *grown);
    if (grown == NULL) SETUP_FAIL("--show");
    char *resolved = resolve_host_path("--show", host);
    struct stat status;
    if (stat(resolved, &status) != 0 || !S_ISDIR(status.st_mode)) BAD_OPTION("--show %s: %s is not a folder", value, resolved);
    free(host);
    grown[options->show_count++] = (struct show_spec){resolved, target};
    options->shows = grown;
}

/* A path of the job's /opt/ml, shown from the --opt-ml folder itself even where an overlay covers it. */
static void add_opt_ml_bind(struct launch_options *options, const char *value) {
    check_path("--opt-ml-bind", value);
    if (strncmp(value, "/opt/ml/", 8) != 0 || value[8] == '\0') BAD_OPTION("--opt-ml-bind %s: expected a path under /opt/ml/", value);
    append(&options->opt_ml_binds, &options->opt_ml_bind_count, value, "--opt-ml-bind");
}

/* A host path the job sees; "/" alone means every top-level entry, as without the option. */
static void add_host_path(struct launch_options *options, const char *value) {
    check_path("--host-path", value);
    if (strcmp(value, "/") == 0) return;
    append(&options->host_paths, &options->host_path_count, value, "--host-path");
}

static void add_hide(struct launch_options *options, const char *value) {
    check_path("--hide", value);
    append(&options->hides, &options->hide_count, value, "--hide");
}

/* The cgroup folder is a host path, joined before the root changes. */
static void add_cgroup(struct launch_options *options, const char *value) {
    check_path("--cgroup", value);
    append(&options->cgroups, &options->cgroup_count, value, "--cgroup");
}

/* A host name as RFC 1123 spells one (letters, digits, '-', '.'), at most HOST_NAME_MAX (64) bytes:
 * it is written to /etc/hostname, one line, so nothing else may slip in. */
static const char *check_hostname(const char *value) {
    size_t length = strlen(value);
    if (length == 0 || length > 64 || strspn(value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") != length)
        BAD_OPTION("--hostname %s: expected 1 to 64 letters, digits, '-' or '.'", value);
    return value;
}

/* A positive decimal count. */
static unsigned long parse_count(const char *option, const char *value) {
    char *end = NULL;
    errno = 0;
    unsigned long count = strtoul(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || count == 0 || value[0] == '-')
        BAD_OPTION("%s %s: expected a positive number", option, value);
    return count;
}

void options_parse(int argc, char **argv, struct launch_options *options) {
    *options = (struct launch_options){.workdir = "/"};
    opterr = 0; /* getopt's own messages would not reach the error file */
    int id;
    /* '+': stop at PROGRAM, so the job's own options are never taken for ours. */
    while ((id = getopt_long(argc, argv, "+:", long_options, NULL)) != -1) {
        switch (id) {
        case OPTION_OPT_ML: options->opt_ml = resolve_host_path("--opt-ml", optarg); break;
        case OPTION_TMP: options->tmp = resolve_host_path("--tmp", optarg); break;
        case OPTION_HIDE: add_hide(options, optarg); break;
        case OPTION_BIND: add_bind(options, optarg); break;
        case OPTION_OVERLAY: add_overlay(options, optarg); break;
        case OPTION_WORKDIR: check_path("--workdir", optarg); options->workdir = optarg; break;
        case OPTION_ERROR_FILE: options->error_file = optarg; break;
        case OPTION_CGROUP: add_cgroup(options, optarg); break;
        case OPTION_READONLY_HOST: options->readonly_host = 1; break;
        case OPTION_NO_NETWORK: options->no_network = 1; break;
        case OPTION_NOFILE: options->nofile = parse_count("--nofile", optarg); break;
        case OPTION_NPROC: options->nproc = parse_count("--nproc", optarg); break;
        case OPTION_DIE_WITH_PARENT: options->die_with_parent = 1; break;
        case OPTION_HOSTNAME: options->hostname = check_hostname(optarg); break;
        case OPTION_HOSTS_FILE: options->hosts_file = resolve_host_path("--hosts-file", optarg); break;
        case OPTION_OPT_ML_BIND: add_opt_ml_bind(options, optarg); break;
        case OPTION_LAYER: options->layer = resolve_host_path("--layer", optarg); break;
        case OPTION_HOST_PATH: add_host_path(options, optarg); break;
        case OPTION_NETNS: check_path("--netns", optarg); options->netns = optarg; break;
        case OPTION_USERNS: check_path("--userns", optarg); options->userns = optarg; break;
        case OPTION_RESOLV_CONF: options->resolv_conf = resolve_host_path("--resolv-conf", optarg); break;
        case OPTION_SHM_SIZE: devices_set_shm_size(parse_count("--shm-size", optarg)); break;
        case OPTION_SHOW: add_show(options, optarg); break;
        case ':': BAD_OPTION("option %s needs a value", argv[optind - 1]);
        default: BAD_OPTION("unknown option %s", argv[optind - 1]);
        }
    }
    if (options->opt_ml == NULL) BAD_OPTION("missing required option --opt-ml");
    if (options->tmp == NULL) BAD_OPTION("missing required option --tmp");
    if (optind >= argc) BAD_OPTION("missing PROGRAM after --");
    options->program_argv = argv + optind;
}
