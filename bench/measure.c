/*
 * measure: run a command and report its wall time, CPU time and peak RSS,
 * as one line "wall_ms=N cpu_ms=N maxrss_kb=N status=N" on stderr (or to
 * the file named by -o). Used by bench/run-bench.sh so the benchmarks do
 * not depend on GNU time being installed.
 *
 *   measure [-o FILE] [-i INPUT] [-O OUTPUT] -- CMD ARGS...
 *
 * -i/-O redirect the command's stdin/stdout.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	const char *report = NULL, *in = NULL, *out = NULL;
	struct rusage ru;
	double start, end;
	int i, status;
	pid_t pid;
	FILE *fp = stderr;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "measure: option '%s' needs a value\n", argv[i]);
			return 64;
		}
		if (!strcmp(argv[i], "-o"))
			report = argv[++i];
		else if (!strcmp(argv[i], "-i"))
			in = argv[++i];
		else if (!strcmp(argv[i], "-O"))
			out = argv[++i];
		else {
			fprintf(stderr, "measure: unknown option '%s'\n", argv[i]);
			return 64;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "usage: measure [-o FILE] [-i IN] [-O OUT] -- CMD ARGS...\n");
		return 64;
	}
	start = now_ms();
	pid = fork();
	if (pid < 0) {
		perror("measure: fork");
		return 1;
	}
	if (!pid) {
		if (in) {
			int fd = open(in, O_RDONLY);
			if (fd < 0 || dup2(fd, 0) < 0)
				_exit(126);
		}
		if (out) {
			int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd < 0 || dup2(fd, 1) < 0)
				_exit(126);
		}
		execvp(argv[i], argv + i);
		fprintf(stderr, "measure: cannot run '%s': %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("measure: wait4");
		return 1;
	}
	end = now_ms();
	if (report) {
		fp = fopen(report, "w");
		if (!fp) {
			perror(report);
			return 1;
		}
	}
	fprintf(fp, "wall_ms=%.1f cpu_ms=%.1f maxrss_kb=%ld status=%d\n",
		end - start,
		ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 +
		ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3,
		ru.ru_maxrss,
		WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	if (report && fclose(fp)) {
		perror(report);
		return 1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
