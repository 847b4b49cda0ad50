/* LD_PRELOAD shim for the disk-full test (tests/e2e/test_hardening.sh): write(2) and
 * pwrite(2) to a file whose path contains $ENOSPC_MATCH fail with ENOSPC once
 * $ENOSPC_AFTER bytes have been written to such files, as on a full disk. Everything
 * else (the terminal, other files) is written normally. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static long long written;

static int full(int fd, size_t n) {
    const char* match = getenv("ENOSPC_MATCH");
    const char* after = getenv("ENOSPC_AFTER");
    if (!match || !after) return 0;
    char link[64], path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    const ssize_t len = readlink(link, path, sizeof path - 1);
    if (len <= 0) return 0;
    path[len] = '\0';
    if (!strstr(path, match)) return 0;
    if (written + (long long)n > atoll(after)) return 1;
    written += (long long)n;
    return 0;
}

ssize_t write(int fd, const void* buf, size_t n) {
    static ssize_t (*real)(int, const void*, size_t);
    if (!real) real = (ssize_t(*)(int, const void*, size_t))dlsym(RTLD_NEXT, "write");
    if (full(fd, n)) {
        errno = ENOSPC;
        return -1;
    }
    return real(fd, buf, n);
}

ssize_t pwrite(int fd, const void* buf, size_t n, off_t off) {
    static ssize_t (*real)(int, const void*, size_t, off_t);
    if (!real) real = (ssize_t(*)(int, const void*, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
    if (full(fd, n)) {
        errno = ENOSPC;
        return -1;
    }
    return real(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void* buf, size_t n, off_t off) {
    return pwrite(fd, buf, n, off);
}
