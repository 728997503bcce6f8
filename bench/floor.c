/* The kernel floor for the listing benchmark: for every PID, open and read
 * /proc/PID/{stat,status,statm,cmdline} and call getpriority(), nothing
 * else. Usage: floor ROUNDS. Prints milliseconds per pass, one per line. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
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

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 5;
    char path[64];
    static const char *files[] = {"stat", "status", "statm", "cmdline"};
    for (int r = 0; r < rounds; r++) {
        double t0 = now_ms();
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
        printf("%.3f %d\n", now_ms() - t0, count);
    }
    return 0;
}
