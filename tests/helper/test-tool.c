/*
 * test-tool: exposes internal functions to the shell tests.
 *
 *   test-tool split-command STRING     print each word on its own line
 *   test-tool outfile PATH TEXT        write TEXT atomically to PATH
 */
#include "../../lib/common.h"
#include "../../lib/buf.h"
#include "../../lib/outfile.h"
#include "../../lib/spawn.h"

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

static const struct {
	const char *name;
	int (*fn)(int argc, const char **argv);
} cmds[] = {
	{ "split-command", cmd_split_command },
	{ "outfile", cmd_outfile },
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
