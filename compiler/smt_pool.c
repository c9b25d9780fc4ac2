/*
** smt_pool.c: runs solver jobs in a forked worker process that the parent
** kills when one job passes its deadline.  Z3 does not always honour its
** own timeout or Z3_interrupt (VERIFY-Z3.md section 9), so a time limit
** the process can trust has to be a process boundary.  The worker works
** through the jobs in order and sends each result as "<job> <length>\n"
** and the bytes; when it is killed (or dies), that job's result is NULL
** and a new worker starts at the next job.  The worker is a fork of the
** parent, so results may hold pointers into the parent's syntax tree.
*/
#include "smt_pool.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int smt_pool_inprocess;

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort();
	return p;
}

/* One job's result, run in this process: malloc'd bytes in *out. */
static size_t run_one(const smt_pool_job *j, size_t job, char **out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		abort();
	j->run(j->ud, job, f);
	fclose(f);
	*out = buf;
	return len;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void worker(const smt_pool_job *j, size_t from, int fd)
{
	size_t k;
	if (j->init)
		j->init(j->ud);
	for (k = from; k < j->njobs; k++) {
		char *buf, head[64];
		size_t len = run_one(j, k, &buf);
		int n = snprintf(head, sizeof head, "%zu %zu\n", k, len);
		int bad = write_all(fd, head, (size_t)n) != 0 || write_all(fd, buf, len) != 0;
		free(buf);
		if (bad)
			break;
	}
	if (j->fini)
		j->fini(j->ud);
	close(fd);
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef struct {
	char *buf;
	size_t len, cap;
} inbuf;

/* Takes every complete record out of b into results; the next job due. */
static size_t parse(inbuf *b, char **results, size_t *lens, size_t next, size_t njobs)
{
	for (;;) {
		char *nl = memchr(b->buf, '\n', b->len), line[64];
		size_t job, len, head;
		/* The buffer is not NUL-terminated: the header line is copied. */
		if (!nl || (size_t)(nl - b->buf) >= sizeof line)
			return next;
		memcpy(line, b->buf, (size_t)(nl - b->buf));
		line[nl - b->buf] = 0;
		if (sscanf(line, "%zu %zu", &job, &len) != 2)
			return next;
		head = (size_t)(nl - b->buf) + 1;
		if (b->len - head < len)
			return next;
		if (job < njobs) {
			results[job] = xmalloc(len + 1);
			memcpy(results[job], nl + 1, len);
			results[job][len] = 0;
			lens[job] = len;
			next = job + 1;
		}
		memmove(b->buf, b->buf + head + len, b->len - head - len);
		b->len -= head + len;
	}
}

/* Starts a worker at job from; its pid, and the read end in *fd. */
static pid_t spawn(const smt_pool_job *j, size_t from, int *fd)
{
	int p[2];
	pid_t pid;
	if (pipe(p) != 0)
		return -1;
	fflush(NULL); /* nothing buffered is written twice */
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		worker(j, from, p[1]);
		_exit(0);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	*fd = p[0];
	return pid;
}

/* Reads one worker's records until it ends or overruns its deadline;
 * the next job due. */
static size_t supervise(const smt_pool_job *j, pid_t pid, int fd, size_t next, char **results, size_t *lens)
{
	inbuf b = {NULL, 0, 0};
	long last = now_ms();
	int status;

	for (;;) {
		struct pollfd pfd;
		long left = (long)j->deadline_ms - (now_ms() - last);
		ssize_t r;
		size_t nn;
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (left <= 0 || poll(&pfd, 1, (int)left) == 0) {
			kill(pid, SIGKILL);
			break;
		}
		if (b.cap - b.len < 65536) {
			b.cap = b.cap * 2 + 65536;
			b.buf = realloc(b.buf, b.cap);
			if (!b.buf)
				abort();
		}
		r = read(fd, b.buf + b.len, b.cap - b.len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		b.len += (size_t)r;
		nn = parse(&b, results, lens, next, j->njobs);
		if (nn != next) {
			next = nn;
			last = now_ms(); /* each job gets its own deadline */
		}
	}
	next = parse(&b, results, lens, next, j->njobs);
	free(b.buf);
	close(fd);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return next;
}

char **smt_pool_run(const smt_pool_job *j, size_t **lens_out)
{
	char **results = calloc(j->njobs + 1, sizeof *results);
	size_t *lens = calloc(j->njobs + 1, sizeof *lens);
	size_t next = 0;

	if (!results || !lens)
		abort();
	*lens_out = lens;
	if (j->njobs == 0)
		return results;
	if (!smt_pool_inprocess) {
		while (next < j->njobs) {
			int fd;
			pid_t pid = spawn(j, next, &fd);
			if (pid < 0)
				break; /* no fork: the rest in this process */
			next = supervise(j, pid, fd, next, results, lens);
			/* The job it was on when it stopped has no result. */
			if (next < j->njobs && !results[next])
				next++;
		}
	}
	if (next < j->njobs) {
		if (j->init)
			j->init(j->ud);
		for (; next < j->njobs; next++)
			lens[next] = run_one(j, next, &results[next]);
		if (j->fini)
			j->fini(j->ud);
	}
	return results;
}

void smt_pool_free(char **results, size_t *lens, size_t njobs)
{
	size_t i;
	for (i = 0; results && i < njobs; i++)
		free(results[i]);
	free(results);
	free(lens);
}
