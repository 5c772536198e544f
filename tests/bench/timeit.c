/* One timed run of a command, from exec to exit: timeit ARGV...
 *
 * Prints "WALL CPU RSS": the wall time in seconds from just before the fork
 * to the child's exit, the child's user + system CPU seconds and its peak
 * resident set in KiB (wait4: the command's own, with the children it
 * waited for).  The command's stdout and stderr go to /dev/null.  Exit
 * status: the command's; 127 when it cannot be run.  A small program, so
 * that what the child inherits before its exec (its peak RSS counts the
 * parent's pages it started with) is about 1 MiB, as with /usr/bin/time. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        struct timespec t0, t1;
        struct rusage ru;
        int status;
        pid_t pid;

        if (argc < 2) {
                fputs("usage: timeit ARGV...\n", stderr);
                return 2;
        }
        clock_gettime(CLOCK_MONOTONIC, &t0);
        pid = fork();
        if (pid < 0) {
                perror("timeit: fork");
                return 127;
        }
        if (pid == 0) {
                int null = open("/dev/null", O_WRONLY);
                if (null >= 0) {
                        dup2(null, 1);
                        dup2(null, 2);
                }
                execvp(argv[1], argv + 1);
                _exit(127);
        }
        if (wait4(pid, &status, 0, &ru) < 0) {
                perror("timeit: wait4");
                return 127;
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        printf("%.6f %.6f %ld\n", (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
               (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                   (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
               ru.ru_maxrss);
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
