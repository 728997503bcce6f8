/* Kernel floors for the benchmarks: the /proc reads a workload cannot
 * avoid, single-threaded, with nothing parsed or kept.
 *
 *   floor listing ROUNDS      for every PID, open and read
 *                             /proc/PID/{stat,status,statm,cmdline} and call
 *                             getpriority(), nothing else
 *   floor connections ROUNDS  read /proc/net/{tcp,tcp6,udp,udp6,unix} whole
 *                             and readlink every /proc/PID/fd/N (psutil's
 *                             sources for net_connections('all'))
 *
 * Prints milliseconds per pass and the item count, one line per round. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static char buf[65536];

static void slurp(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0 && n == (ssize_t)sizeof buf) {}
    close(fd);
}

/* Multi-record seq files return about a page per read: read to EOF. */
static long slurp_all(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    long lines = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        for (ssize_t i = 0; i < n; i++) lines += buf[i] == '\n';
    close(fd);
    return lines;
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int listing(void) {
    static const char *files[] = {"stat", "status", "statm", "cmdline"};
    char path[64];
    DIR *d = opendir("/proc");
    struct dirent *e;
    int count = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        int pid = atoi(e->d_name);
        for (int i = 0; i < 4; i++) {
            snprintf(path, sizeof path, "/proc/%d/%s", pid, files[i]);
            slurp(path);
        }
        getpriority(PRIO_PROCESS, pid);
        count++;
    }
    closedir(d);
    return count;
}

static int connections(void) {
    static const char *tables[] = {"/proc/net/tcp", "/proc/net/tcp6", "/proc/net/udp",
                                   "/proc/net/udp6", "/proc/net/unix"};
    long rows = 0;
    for (int i = 0; i < 5; i++) rows += slurp_all(tables[i]) - 1; /* minus the header */
    char path[64], link[64];
    DIR *d = opendir("/proc");
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        snprintf(path, sizeof path, "/proc/%s/fd", e->d_name);
        DIR *fds = opendir(path);
        if (!fds) continue;
        struct dirent *f;
        while ((f = readdir(fds)) != NULL) {
            if (f->d_name[0] < '0' || f->d_name[0] > '9') continue;
            readlinkat(dirfd(fds), f->d_name, link, sizeof link);
        }
        closedir(fds);
    }
    closedir(d);
    return (int)rows;
}

int main(int argc, char **argv) {
    const char *what = argc > 1 ? argv[1] : "listing";
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    int (*pass)(void) = strcmp(what, "connections") == 0 ? connections : listing;
    for (int r = 0; r < rounds; r++) {
        double t0 = now_ms();
        int count = pass();
        printf("%.3f %d\n", now_ms() - t0, count);
    }
    return 0;
}
