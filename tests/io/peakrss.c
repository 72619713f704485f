/* peakrss: runs a command, then prints its peak resident memory in KiB
 * (getrusage's ru_maxrss of the waited-for child) on stdout, alone on its
 * line, and exits with the command's status (128 + signal when killed).
 *   peakrss CMD ARGS...
 * For tests/io/memory_test.sh: the child's own output goes where it would. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: peakrss CMD [ARGS...]\n");
        return 2;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        perror(argv[1]);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || getrusage(RUSAGE_CHILDREN, &ru) != 0) {
        perror("peakrss");
        return 125;
    }
    printf("%ld\n", (long)ru.ru_maxrss);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
