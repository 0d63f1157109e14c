/* A hostile C module built with wasi-libc (modules/test-wasi-hostile.wasm): each export tries
 * something a sandboxed UDF must not be able to do, or floods, sleeps, exits, or hands WASI wild
 * pointers, and reports what it got (a WASI errno where there is one). For the engine's tests. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>
#include "wasmudf.h"

/* open("/etc/passwd"): the fd (>= 0) or -errno. */
WASMUDF_EXPORT(open_passwd) int32_t open_passwd(void)
{
    int fd = open("/etc/passwd", O_RDONLY);
    return fd >= 0 ? fd : -errno;
}

/* the raw WASI call wasi-libc would make for a relative path, against fd 3 (no preopen): its errno */
WASMUDF_EXPORT(path_open_raw) int32_t path_open_raw(int32_t dirfd)
{
    __wasi_fd_t fd;
    return __wasi_path_open((__wasi_fd_t)dirfd, 0, "etc/passwd", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
}

/* getenv("HOME"): 1 when set, 0 when not; -1 if the environment is not empty */
WASMUDF_EXPORT(read_home) int32_t read_home(void)
{
    extern char **environ;
    if (environ && environ[0]) return -1;
    return getenv("HOME") != NULL;
}

/* send on stdout and accept on fd 3, as sockets: both errnos, send's * 100 + accept's */
WASMUDF_EXPORT(socket_errnos) int32_t socket_errnos(void)
{
    errno = 0;
    int r = (int)send(1, "x", 1, 0);
    int send_errno = r < 0 ? errno : 0;
    __wasi_fd_t fd;
    int accept_errno = __wasi_sock_accept(3, 0, &fd);
    return send_errno * 100 + accept_errno;
}

/* writes `mib` MiB to stdout with fwrite, 64 KiB at a time: the bytes fwrite reported written */
WASMUDF_EXPORT(flood) int64_t flood(int32_t mib)
{
    static char chunk[65536];
    memset(chunk, 'x', sizeof chunk);
    int64_t done = 0;
    for (int64_t i = 0; i < (int64_t)mib * 16; i++) done += (int64_t)fwrite(chunk, 1, sizeof chunk, stdout);
    fflush(stdout);
    return done;
}

/* sleeps `seconds` with nanosleep (poll_oneoff underneath): 0, or -errno */
WASMUDF_EXPORT(sleep_for) int32_t sleep_for(int32_t seconds)
{
    struct timespec t = {seconds, 0};
    return nanosleep(&t, NULL) == 0 ? 0 : -errno;
}

/* sleeps forever, one day at a time */
WASMUDF_EXPORT(sleep_forever) int32_t sleep_forever(void)
{
    for (;;) {
        struct timespec t = {86400, 0};
        if (nanosleep(&t, NULL) != 0) return -errno;
    }
}

/* exit(code): proc_exit */
WASMUDF_EXPORT(exit_with) void exit_with(int32_t code) { exit(code); }

/* fd_write with an iovec array, then a buffer, outside memory: the two errnos, first * 100 + second */
WASMUDF_EXPORT(wild_pointers) int32_t wild_pointers(void)
{
    __wasi_size_t n;
    int a = __wasi_fd_write(1, (const __wasi_ciovec_t *)(uintptr_t)0xFFFFFFF0u, 1, &n);
    __wasi_ciovec_t iov = {(const uint8_t *)(uintptr_t)0x7FFFFFF0u, 1000};
    int b = __wasi_fd_write(1, &iov, 1, &n);
    return a * 100 + b;
}

/* clock_gettime(CLOCK_REALTIME) in ns, or -errno */
WASMUDF_EXPORT(now_ns) int64_t now_ns(void)
{
    struct timespec t;
    if (clock_gettime(CLOCK_REALTIME, &t) != 0) return -errno;
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* getentropy of 8 bytes as a number, or -errno */
WASMUDF_EXPORT(random64) int64_t random64(void)
{
    int64_t v;
    if (getentropy(&v, sizeof v) != 0) return -errno;
    return v;
}

/* hello(name text) RETURNS text STRICT: prints a greeting to stdout and stderr, and returns it */
WASMUDF_EXPORT(hello) int32_t hello(const uint8_t *name, uint32_t len)
{
    WASMUDF_ENTER();
    char *out = wasmudf_alloc(len + 16, 1);
    int n = snprintf(out, len + 16, "hello, %.*s", (int)len, (const char *)name);
    printf("%s\n", out);
    fprintf(stderr, "said hello to %.*s\n", (int)len, (const char *)name);
    return wasmudf_return_text((const uint8_t *)out, (uint32_t)n);
}

/* raises an SQL error of the caller's choice */
WASMUDF_EXPORT(raise_error) void raise_error(const uint8_t *state, uint32_t state_len, const uint8_t *msg, uint32_t msg_len)
{
    wasmudf_host_raise_error((const char *)state, state_len, (const char *)msg, msg_len);
}

/* leaks: allocates `kib` KiB with malloc and never frees it; 1 when malloc returned NULL */
static void *volatile leaked; /* volatile: the compiler may not drop the unused allocation */
WASMUDF_EXPORT(leak) int32_t leak(int32_t kib)
{
    leaked = malloc((size_t)kib * 1024);
    return leaked == NULL;
}
