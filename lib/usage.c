#include "common.h"
#include "buf.h"

const char *fg_progname = "flamegraph";
void (*fg_die_hook)(void);
unsigned fg_warning_count;

/*
 * Print prefix, the message and errstr as one line, whatever their length,
 * with control characters escaped (names in messages come from files).
 */
static void vreport(const char *prefix, const char *fmt, va_list ap,
		    const char *errstr)
{
	struct fg_buf msg = FG_BUF_INIT, line = FG_BUF_INIT;

	fg_buf_vaddf(&msg, fmt, ap);
	fg_buf_addstr(&line, prefix);
	fg_buf_add_printable(&line, msg.buf, msg.len);
	if (errstr) {
		fg_buf_addstr(&line, ": ");
		fg_buf_addstr(&line, errstr);
	}
	fg_buf_addch(&line, '\n');
	fflush(stdout);
	fwrite(line.buf, 1, line.len, stderr);
	fg_buf_release(&msg);
	fg_buf_release(&line);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap, NULL);
	va_end(ap);
	if (fg_die_hook)
		fg_die_hook();
	exit(EXIT_FATAL);
}

void die_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap, strerror(err));
	va_end(ap);
	if (fg_die_hook)
		fg_die_hook();
	exit(EXIT_FATAL);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap, NULL);
	va_end(ap);
	return -1;
}

int error_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap, strerror(err));
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	fg_warning_count++;
	va_start(ap, fmt);
	vreport("warning: ", fmt, ap, NULL);
	va_end(ap);
}

void BUG_fl(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	char prefix[256];

	snprintf(prefix, sizeof(prefix), "BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vreport(prefix, fmt, ap, NULL);
	va_end(ap);
	abort();
}
