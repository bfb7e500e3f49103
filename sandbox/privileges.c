/* What the job may do with privileges, set last before exec. no_new_privs: no setuid binary or file
 * capability raises the job's privileges again. A root job (root on the host, or root mapped in a user
 * namespace) keeps only the capabilities a container's root has by default minus those that could undo
 * the sandbox: no CAP_SYS_ADMIN (umount a hide layer, remount read-write, new namespaces), no
 * CAP_DAC_READ_SEARCH (open_by_handle_at escapes the mount namespace), no CAP_SYS_PTRACE, CAP_SYS_MODULE,
 * CAP_SYS_RAWIO, CAP_NET_ADMIN, CAP_MKNOD, CAP_SYS_CHROOT, CAP_SYS_BOOT, CAP_SYS_TIME, CAP_SYS_RESOURCE,
 * CAP_SETPCAP... A non-root job loses every capability at exec anyway. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "launcher.h"

/* Kept: owning and writing the job's own files, signals, switching users, binding ports below 1024. */
static const int kept_capabilities[] = {
    CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_FSETID, CAP_KILL, CAP_SETGID, CAP_SETUID,
    CAP_NET_BIND_SERVICE, CAP_NET_RAW, CAP_AUDIT_WRITE, CAP_SETFCAP,
};

static int is_kept(int capability) {
    for (size_t i = 0; i < sizeof kept_capabilities / sizeof kept_capabilities[0]; i++) {
        if (kept_capabilities[i] == capability) return 1;
    }
    return 0;
}

/* The bounding set first (it needs CAP_SETPCAP, which is dropped next); the loop ends where the
 * kernel's capability numbers end. Then the effective, permitted and inheritable sets: for root,
 * exec grants inheritable | bounding, so both must lose the capability. */
static void drop_capabilities(void) {
    uint32_t kept[2] = {0, 0};
    for (int capability = 0; capability < 64; capability++) {
        if (is_kept(capability)) {
            kept[capability / 32] |= 1u << (capability % 32);
            continue;
        }
        if (prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0) {
            if (errno == EINVAL) break;
            SETUP_FAIL("drop capability %d from the bounding set", capability);
        }
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) SETUP_FAIL("clear ambient capabilities");
    struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &header, data) != 0) SETUP_FAIL("read capabilities");
    for (int i = 0; i < 2; i++) {
        data[i].effective &= kept[i];
        data[i].permitted &= kept[i];
        data[i].inheritable &= kept[i];
    }
    if (syscall(SYS_capset, &header, data) != 0) SETUP_FAIL("drop capabilities");
}

void privileges_drop(void) {
    if (geteuid() == 0) drop_capabilities();
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) SETUP_FAIL("set no_new_privs");
}
