/*
** timeit.c: best-of-N wall-clock time of a command, for bench/run.sh.
**
**   timeit RUNS COMMAND [ARG...]
**
** Runs COMMAND RUNS times with its output discarded and prints the
** fastest run in seconds ("0.123456").  Best of N rather than the mean:
** the minimum is the figure least disturbed by other load on the machine.
** Exits 1 if any run fails, so a broken benchmark is not timed silently.
** POSIX sh has no sub-second clock, hence this helper.
*/
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int runs, i;
	double best = -1;

	if (argc < 3 || (runs = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: timeit RUNS COMMAND [ARG...]\n");
		return 2;
	}
	for (i = 0; i < runs; i++) {
		double t0 = now(), t;
		int status;
		pid_t pid = fork();
		if (pid < 0) {
			perror("timeit: fork");
			return 1;
		}
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);
			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
			}
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "timeit: '%s' failed\n", argv[2]);
			return 1;
		}
		t = now() - t0;
		if (best < 0 || t < best)
			best = t;
	}
	printf("%.6f\n", best);
	return 0;
}
