#include "unit.h"
#include "../../lib/stacks.h"
#include "../../profiler/profile.h"

struct unit_test {
	const char *name;
	unit_fn fn;
};

static struct unit_test *tests;
static size_t nr, alloc;
static int current_failed;

void unit_register(const char *name, unit_fn fn)
{
	ALLOC_GROW(tests, nr + 1, alloc);
	tests[nr].name = name;
	tests[nr].fn = fn;
	nr++;
}

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("# %s:%d: check failed: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	current_failed = 1;
}

char *unit_fold(const struct profile *p, const struct profile_view *v, int how)
{
	struct stack_table t;
	struct fg_buf b = FG_BUF_INIT;
	size_t i;

	stack_table_init(&t, how == UNIT_FOLD_SORTED);
	if (profile_fold(p, v, &t)) {
		unit_fail(__FILE__, __LINE__, "profile_fold() failed");
		stack_table_release(&t);
		return NULL;
	}
	if (how == UNIT_FOLD_SORTED)
		stack_table_sort(&t);
	for (i = 0; i < t.nr; i++)
		fg_buf_addf(&b, "%.*s %" PRIu64 "\n", (int)t.v[i].len, t.v[i].stack,
			    t.v[i].count);
	stack_table_release(&t);
	return fg_buf_detach(&b, NULL);
}

int main(int argc, char **argv)
{
	const char *prog = strrchr(argv[0], '/');
	size_t i;
	int failed = 0;

	(void)argc;
	prog = prog ? prog + 1 : argv[0];
	for (i = 0; i < nr; i++) {
		current_failed = 0;
		tests[i].fn();
		printf("%s - %s: %s\n", current_failed ? "not ok" : "ok", prog,
		       tests[i].name);
		failed |= current_failed;
	}
	free(tests);
	return failed;
}
