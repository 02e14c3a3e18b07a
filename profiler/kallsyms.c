#include "kallsyms.h"
#include "../lib/buf.h"

#include <fcntl.h>
#include <unistd.h>

struct ksym {
	uint64_t addr;
	const char *name;
};

struct kallsyms {
	struct ksym *v;
	size_t nr, alloc;
	char *text;		/* the file's bytes; names point into it */
};

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* strtoull(p, end, 16) for the plain hex of this file, without its locale work. */
static uint64_t parse_hex(const char *p, char **end)
{
	uint64_t v = 0;
	int n;

	for (n = 0; n < 16; n++, p++) {
		unsigned c = (unsigned char)*p, d;

		if (c - '0' < 10)
			d = c - '0';
		else if ((c | 0x20) - 'a' < 6)
			d = (c | 0x20) - 'a' + 10;
		else
			break;
		v = v << 4 | d;
	}
	*end = (char *)p;
	return v;
}

struct kallsyms *kallsyms_load(const char *path)
{
	struct kallsyms *k = xcalloc(1, sizeof(*k));
	struct fg_buf buf = FG_BUF_INIT;
	int fd = open(path ? path : "/proc/kallsyms", O_RDONLY | O_CLOEXEC);
	char *p, *end;
	size_t i;

	if (fd < 0)
		return k;
	if (fg_buf_read_fd(&buf, fd) < 0) {
		close(fd);
		fg_buf_release(&buf);
		return k;
	}
	close(fd);
	k->text = fg_buf_detach(&buf, NULL);
	p = k->text;
	end = p + strlen(p);
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *q, *name;
		uint64_t addr;
		char type;

		if (!nl)
			nl = end;
		*nl = '\0';
		/* "ffffffff81000000 T _stext\t[module]" */
		addr = parse_hex(p, &q);
		if (q != p && q[0] == ' ' && q[1] && q[2] == ' ') {
			type = q[1];
			name = q + 3;
			if (addr && (type == 't' || type == 'T' || type == 'w' ||
				     type == 'W')) {
				char *tab = strchr(name, '\t');

				if (tab)
					*tab = '\0';
				ALLOC_GROW(k->v, k->nr + 1, k->alloc);
				k->v[k->nr].addr = addr;
				k->v[k->nr].name = name;
				k->nr++;
			}
		}
		p = nl + 1;
	}
	/* The kernel lists its own symbols in order; modules may follow. */
	for (i = 1; i < k->nr; i++)
		if (k->v[i].addr < k->v[i - 1].addr)
			break;
	if (i < k->nr)
		qsort(k->v, k->nr, sizeof(*k->v), ksym_cmp);
	return k;
}

void kallsyms_free(struct kallsyms *k)
{
	if (!k)
		return;
	free(k->v);
	free(k->text);
	free(k);
}

const char *kallsyms_lookup(const struct kallsyms *k, uint64_t addr)
{
	size_t lo = 0, hi = k->nr;

	if (!k->nr || addr < k->v[0].addr)
		return NULL;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->v[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return k->v[lo].name;
}

size_t kallsyms_count(const struct kallsyms *k)
{
	return k->nr;
}
