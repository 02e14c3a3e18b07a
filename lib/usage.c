#include "common.h"

const char *fg_progname = "flamegraph";
unsigned fg_warning_count;

static void vreport(const char *prefix, const char *fmt, va_list ap,
		    const char *errstr)
{
	char msg[4096];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	fflush(stdout);
	if (errstr)
		fprintf(stderr, "%s%s: %s\n", prefix, msg, errstr);
	else
		fprintf(stderr, "%s%s\n", prefix, msg);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap, NULL);
	va_end(ap);
	exit(EXIT_FATAL);
}

void die_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap, strerror(err));
	va_end(ap);
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
