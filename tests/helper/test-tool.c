/*
 * test-tool: exposes internal functions to the shell tests.
 *
 *   test-tool split-command STRING     print each word on its own line
 *   test-tool outfile PATH TEXT        write TEXT atomically to PATH
 *   test-tool demangle                 demangle symbols read from stdin
 *   test-tool symbolize FILE ADDR...   frames at file addresses (hex)
 *   test-tool perf-data FILE           read a perf.data file natively
 *   test-tool perf-check               exit 0 when perf_event_open works
 *                                      here for our own processes, else 77
 */
#include "../../lib/common.h"
#include "../../lib/buf.h"
#include "../../lib/outfile.h"
#include "../../lib/spawn.h"

#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

static int cmd_split_command(int argc, const char **argv)
{
	struct fg_buf err = FG_BUF_INIT;
	char **words;
	int n, i;

	if (argc != 2)
		return error("usage: test-tool split-command STRING");
	words = split_command(argv[1], &n, &err);
	if (!words) {
		error("%s", err.buf);
		fg_buf_release(&err);
		return 1;
	}
	for (i = 0; i < n; i++)
		printf("[%s]\n", words[i]);
	free_argv(words);
	return 0;
}

static int cmd_outfile(int argc, const char **argv)
{
	struct fg_buf err = FG_BUF_INIT;
	struct outfile of;
	int ret = 0;

	if (argc != 3)
		return error("usage: test-tool outfile PATH TEXT");
	if (outfile_open(&of, argv[1], &err)) {
		ret = error("%s", err.buf);
	} else {
		fputs(argv[2], of.fp);
		if (outfile_commit(&of, &err))
			ret = error("%s", err.buf);
	}
	fg_buf_release(&err);
	return ret ? 1 : 0;
}

static int cmd_perf_check(int argc, const char **argv)
{
	struct perf_event_attr attr;
	int fd;

	(void)argc;
	(void)argv;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_CPU_CLOCK;
	attr.sample_freq = 997;
	attr.freq = 1;
	attr.exclude_kernel = 1;
	attr.disabled = 1;
	fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	if (fd < 0) {
		printf("perf_event_open is not permitted here: %s\n", strerror(errno));
		return 77;
	}
	close(fd);
	return 0;
}

int cmd_demangle(int argc, const char **argv);
int cmd_symbolize(int argc, const char **argv);
int cmd_perf_data(int argc, const char **argv);

static const struct {
	const char *name;
	int (*fn)(int argc, const char **argv);
} cmds[] = {
	{ "split-command", cmd_split_command },
	{ "outfile", cmd_outfile },
	{ "perf-check", cmd_perf_check },
	{ "demangle", cmd_demangle },
	{ "symbolize", cmd_symbolize },
	{ "perf-data", cmd_perf_data },
};

int main(int argc, const char **argv)
{
	size_t i;

	fg_progname = "test-tool";
	if (argc < 2)
		die("usage: test-tool COMMAND ARGS...");
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(cmds[i].name, argv[1]))
			return cmds[i].fn(argc - 1, argv + 1);
	die("unknown test-tool command '%s'", argv[1]);
}
