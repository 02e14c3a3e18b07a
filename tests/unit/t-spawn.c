#include "unit.h"
#include "../../lib/spawn.h"

#include <fcntl.h>
#include <sys/stat.h>
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

/* Run argv with sp's other options; its standard output. */
static char *run_argv(struct spawn *sp, const char *const *argv, struct fg_buf *err)
{
	struct fg_buf out = FG_BUF_INIT;

	sp->argv = argv;
	sp->out.mode = SPAWN_PIPE;
	if (spawn_start(sp, err))
		return NULL;
	CHECK(sp->pid > 0);
	CHECK(fg_buf_read_fd(&out, sp->out.fd) >= 0);
	close(sp->out.fd);
	CHECK(spawn_finish(sp) >= 0);
	return fg_buf_detach(&out, NULL);
}

static char *run_sh(struct spawn *sp, const char *script, struct fg_buf *err)
{
	const char *argv[] = { "sh", "-c", script, NULL };

	return run_argv(sp, argv, err);
}

TEST(spawn_exit_status)
{
	struct spawn sp = SPAWN_INIT;
	struct fg_buf err = FG_BUF_INIT;
	const char *argv[] = { "sh", "-c", "exit 3", NULL };
	const char *ok[] = { "true", NULL };

	sp.argv = argv;
	CHECK(spawn_start(&sp, &err) == 0);
	CHECK(spawn_finish(&sp) == 3 << 8);
	CHECK(sp.exit_code == 3);
	CHECK(sp.signal == 0);
	CHECK(WIFEXITED(sp.status) && WEXITSTATUS(sp.status) == 3);

	sp = (struct spawn)SPAWN_INIT;
	sp.argv = ok;
	sp.in.mode = sp.out.mode = sp.err.mode = SPAWN_NULL;
	CHECK(spawn_start(&sp, &err) == 0);
	CHECK(spawn_finish(&sp) == 0);
	CHECK(sp.exit_code == 0);
	CHECK(err.len == 0);
	fg_buf_release(&err);
}

TEST(spawn_killed_by_signal)
{
	struct spawn sp = SPAWN_INIT;
	struct fg_buf err = FG_BUF_INIT, msg = FG_BUF_INIT;
	const char *argv[] = { "sh", "-c", "kill -TERM $$; sleep 5", NULL };

	sp.argv = argv;
	CHECK(spawn_start(&sp, &err) == 0);
	CHECK(spawn_finish(&sp) >= 0);
	CHECK(sp.signal == SIGTERM);
	CHECK(sp.exit_code == -1);
	describe_status(&msg, sp.status);
	CHECK(starts_with(msg.buf, "killed by signal 15 ("));
	fg_buf_release(&err);
	fg_buf_release(&msg);
}

TEST(spawn_not_found)
{
	struct spawn sp = SPAWN_INIT;
	struct fg_buf err = FG_BUF_INIT;
	const char *missing[] = { "fg-no-such-program-here", NULL };
	const char *path[] = { "/nonexistent/program", NULL };
	const char *dir[] = { "/", NULL };

	sp.argv = missing;
	CHECK(spawn_start(&sp, &err) == -1);
	CHECK_STREQ(err.buf, "cannot run 'fg-no-such-program-here': No such file or directory");
	CHECK(sp.failure == SPAWN_FAILED_EXEC && sp.errnum == ENOENT);
	CHECK(sp.pid == -1 && sp.exit_code == 127);

	fg_buf_reset(&err);
	sp = (struct spawn)SPAWN_INIT;
	sp.argv = path;
	CHECK(spawn_start(&sp, &err) == -1);
	CHECK_STREQ(err.buf, "cannot run '/nonexistent/program': No such file or directory");

	fg_buf_reset(&err);
	sp = (struct spawn)SPAWN_INIT;
	sp.argv = dir;
	CHECK(spawn_start(&sp, &err) == -1);
	CHECK(sp.errnum == EACCES);
	CHECK_STREQ(err.buf, "cannot run '/': Permission denied");

	fg_buf_reset(&err);
	sp = (struct spawn)SPAWN_INIT;
	sp.argv = (const char *[]){ "true", NULL };
	sp.cwd = "/nonexistent/dir";
	CHECK(spawn_start(&sp, &err) == -1);
	CHECK(sp.failure == SPAWN_FAILED_CWD);
	CHECK_STREQ(err.buf, "cannot change to '/nonexistent/dir': No such file or directory");
	fg_buf_release(&err);
}

TEST(spawn_cwd_and_env)
{
	struct spawn sp = SPAWN_INIT;
	struct fg_buf err = FG_BUF_INIT;
	const char *env[] = { "FG_T_SPAWN=over", "FG_T_ADDED=new", "FG_T_GONE", NULL };
	const char *envp[] = { "FG_T_ONLY=1", "PATH=/usr/bin:/bin", NULL };
	char *out;

	setenv("FG_T_SPAWN", "ours", 1);
	setenv("FG_T_GONE", "here", 1);
	sp.cwd = "/";
	sp.env = env;
	out = run_sh(&sp, "pwd; echo \"$FG_T_SPAWN $FG_T_ADDED ${FG_T_GONE-unset}\"", &err);
	CHECK_STREQ(out, "/\nover new unset\n");
	free(out);
	/* ours is left alone */
	CHECK_STREQ(getenv("FG_T_SPAWN"), "ours");

	sp = (struct spawn)SPAWN_INIT;
	sp.envp = envp;
	out = run_sh(&sp, "echo \"${FG_T_ONLY-} ${FG_T_SPAWN-unset}\"", &err);
	CHECK_STREQ(out, "1 unset\n");
	free(out);
	CHECK(err.len == 0);
	unsetenv("FG_T_SPAWN");
	unsetenv("FG_T_GONE");
	fg_buf_release(&err);
}

TEST(spawn_pipes_and_fds)
{
	struct spawn sp = SPAWN_INIT;
	struct fg_buf err = FG_BUF_INIT, out = FG_BUF_INIT, errout = FG_BUF_INIT;
	const char *cat[] = { "sh", "-c", "tr a-z A-Z; echo oops >&2", NULL };
	char *s;
	int fds[2];

	sp.argv = cat;
	sp.in.mode = SPAWN_PIPE;
	sp.out.mode = SPAWN_PIPE;
	sp.err.mode = SPAWN_PIPE;
	CHECK(spawn_start(&sp, &err) == 0);
	CHECK(write(sp.in.fd, "abc\n", 4) == 4);
	close(sp.in.fd);
	CHECK(fg_buf_read_fd(&out, sp.out.fd) == 4);
	CHECK(fg_buf_read_fd(&errout, sp.err.fd) == 5);
	close(sp.out.fd);
	close(sp.err.fd);
	CHECK(spawn_finish(&sp) == 0);
	CHECK_STREQ(out.buf, "ABC\n");
	CHECK_STREQ(errout.buf, "oops\n");

	/* a descriptor of ours, and a process group of its own */
	sp = (struct spawn)SPAWN_INIT;
	sp.new_pgrp = 1;
	sp.err.mode = SPAWN_FD;
	CHECK(pipe(fds) == 0);
	sp.err.fd = fds[1];
	s = run_sh(&sp, "echo to-stderr >&2; [ \"$(cut -d' ' -f5 /proc/$$/stat)\" = $$ ] && echo leader", &err);
	close(fds[1]);
	CHECK_STREQ(s, "leader\n");
	free(s);
	fg_buf_reset(&errout);
	CHECK(fg_buf_read_fd(&errout, fds[0]) == 10);
	close(fds[0]);
	CHECK_STREQ(errout.buf, "to-stderr\n");
	fg_buf_release(&err);
	fg_buf_release(&out);
	fg_buf_release(&errout);
}

TEST(spawn_signal_mask)
{
	struct spawn sp = SPAWN_INIT;
	struct fg_buf err = FG_BUF_INIT;
	const char *argv[] = { "grep", "^SigBlk", "/proc/self/status", NULL };
	sigset_t block, old, none;
	char *s;

	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	/* blocked here: inherited unless reset */
	s = run_argv(&sp, argv, &err);
	CHECK(s && !strstr(s, "0000000000000000"));
	free(s);
	sigemptyset(&none);
	sp = (struct spawn)SPAWN_INIT;
	sp.sigmask = &none;
	s = run_argv(&sp, argv, &err);
	CHECK_STREQ(s, "SigBlk:\t0000000000000000\n");
	free(s);
	sigprocmask(SIG_SETMASK, &old, NULL);
	fg_buf_release(&err);
}

TEST(spawn_find_program_as_execvp)
{
	char *sh = spawn_find_program("sh"), *p;
	const char *path = getenv("PATH");
	char *saved = path ? xstrdup(path) : NULL;

	CHECK(sh && sh[0] == '/' && !access(sh, X_OK));
	free(sh);
	p = spawn_find_program("./x/y");
	CHECK_STREQ(p, "./x/y");
	free(p);
	errno = 0;
	CHECK(spawn_find_program("fg-no-such-program-here") == NULL);
	CHECK(errno == ENOENT);
	/* a directory is no program; the search goes on past it */
	setenv("PATH", "/:/usr/bin:/bin", 1);
	p = spawn_find_program("bin");
	CHECK(p == NULL && errno == EACCES);
	p = spawn_find_program("sh");
	CHECK(p && (!strcmp(p, "/usr/bin/sh") || !strcmp(p, "/bin/sh")));
	free(p);
	if (saved)
		setenv("PATH", saved, 1);
	free(saved);
}

TEST(spawn_script_without_interpreter_line)
{
	struct spawn sp = SPAWN_INIT;
	struct fg_buf err = FG_BUF_INIT;
	char path[] = "/tmp/fg-t-spawn-XXXXXX", *s;
	const char *argv[] = { path, "arg", NULL };
	int fd = mkstemp(path);

	/* as execvp() runs it: with /bin/sh */
	CHECK(fd >= 0);
	CHECK(write(fd, "echo script $1\n", 15) == 15);
	close(fd);
	CHECK(chmod(path, 0700) == 0);
	s = run_argv(&sp, argv, &err);
	CHECK_STREQ(s, "script arg\n");
	CHECK(sp.exit_code == 0);
	free(s);
	unlink(path);
	fg_buf_release(&err);
}
