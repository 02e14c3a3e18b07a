#include "unit.h"
#include "../../lib/spawn.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

static char *joined(const char *cmd)
{
	struct fg_buf err = FG_BUF_INIT, out = FG_BUF_INIT;
	int argc, i;
	char **argv = split_command(cmd, &argc, &err);

	if (!argv) {
		fg_buf_addf(&out, "ERR:%s", err.buf);
	} else {
		for (i = 0; i < argc; i++)
			fg_buf_addf(&out, "[%s]", argv[i]);
		CHECK(argv[argc] == NULL);
	}
	free_argv(argv);
	fg_buf_release(&err);
	return fg_buf_detach(&out, NULL);
}

#define CHECK_SPLIT(cmd, expect) \
	do { char *s_ = joined(cmd); CHECK_STREQ(s_, expect); free(s_); } while (0)

TEST(split_words_and_quotes)
{
	CHECK_SPLIT("tee a.folded", "[tee][a.folded]");
	CHECK_SPLIT("  sed  -e 's/a b/c/'  ", "[sed][-e][s/a b/c/]");
	CHECK_SPLIT("echo \"x \\\"y\\\" \\n\"", "[echo][x \"y\" \\n]");
	CHECK_SPLIT("a\\ b c", "[a b][c]");
	CHECK_SPLIT("''", "[]");
	CHECK_SPLIT("x'y'\"z\"", "[xyz]");
	CHECK_SPLIT("sh -c 'echo $HOME; ls'", "[sh][-c][echo $HOME; ls]");
}

TEST(split_errors)
{
	CHECK_SPLIT("", "ERR:empty command");
	CHECK_SPLIT("   ", "ERR:empty command");
	CHECK_SPLIT("a 'b", "ERR:unterminated quote in command");
	CHECK_SPLIT("a \"b", "ERR:unterminated quote in command");
}

TEST(spawn_filter_streams_output)
{
	struct fg_buf out = FG_BUF_INIT, err = FG_BUF_INIT;
	char *argv[] = { (char *)"tr", (char *)"a-z", (char *)"A-Z", NULL };
	char *bad[] = { (char *)"/nonexistent/program", NULL };
	int fd = open("/dev/null", O_RDONLY), status, out_fd = -1;
	int pipefd[2];
	pid_t pid;

	CHECK(pipe(pipefd) == 0);
	CHECK(write(pipefd[1], "abc\n", 4) == 4);
	close(pipefd[1]);
	CHECK(spawn_filter(argv, pipefd[0], &pid, &out_fd, &err) == 0);
	close(pipefd[0]);
	CHECK(fg_buf_read_fd(&out, out_fd) == 4);
	close(out_fd);
	status = spawn_wait(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_STREQ(out.buf, "ABC\n");

	CHECK(spawn_filter(bad, fd, &pid, &out_fd, &err) == -1);
	CHECK(strstr(err.buf, "cannot run '/nonexistent/program'") != NULL);
	close(fd);
	fg_buf_reset(&err);
	describe_status(&err, 3 << 8);
	CHECK_STREQ(err.buf, "exited with code 3");
	fg_buf_release(&out);
	fg_buf_release(&err);
}
