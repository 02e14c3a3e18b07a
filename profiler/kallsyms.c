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
	char *text;		/* the file's bytes, or the names a resolve kept */
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

struct want {
	uint64_t addr;
	size_t idx;		/* in the caller's arrays */
};

static int want_cmp(const void *a, const void *b)
{
	const struct want *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* The symbol read last: it names the wanted addresses up to the next one. */
struct prev_sym {
	uint64_t addr;
	char name[512];		/* the kernel's longest, KSYM_NAME_LEN */
	size_t len;
	size_t off;		/* of the name in the pool; SIZE_MAX: not there yet */
	int seen;
};

/* Give pv's name to the wanted addresses w[*j..] below end (all: last). */
static void name_wanted(struct prev_sym *pv, const struct want *w, size_t n,
			size_t *j, uint64_t end, int last, size_t *name_off,
			struct fg_buf *pool)
{
	for (; *j < n && (last || w[*j].addr < end); (*j)++) {
		if (!pv->seen || w[*j].addr < pv->addr)
			continue;
		if (pv->off == SIZE_MAX) {
			pv->off = pool->len;
			fg_buf_add(pool, pv->name, pv->len);
			fg_buf_addch(pool, '\0');
		}
		name_off[w[*j].idx] = pv->off;
	}
}

/*
 * The streaming pass of kallsyms_resolve(): symbols come in address order,
 * so each one names the wanted addresses from its own to the next one's.
 * Returns 0, or -1 when the file is not in order (the caller loads it
 * whole) or cannot be read.
 */
static int resolve_sorted(int fd, struct want *w, size_t n, size_t *name_off,
			  struct fg_buf *pool)
{
	char buf[65536 + 1];
	struct prev_sym pv = { .off = SIZE_MAX };
	size_t have = 0, j = 0;
	int eof = 0;

	for (;;) {
		char *p = buf, *end, *nl;

		if (!eof) {
			ssize_t got = read(fd, buf + have, sizeof(buf) - 1 - have);

			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0)
				return -1;
			if (!got)
				eof = 1;
			have += (size_t)got;
		}
		end = buf + have;
		*end = '\0';
		while (p < end) {
			char *q, *name, *tab, *line;
			uint64_t addr;

			nl = memchr(p, '\n', (size_t)(end - p));
			if (!nl) {
				if (eof)
					nl = end;
				else if (p == buf && have == sizeof(buf) - 1)
					return -1;	/* a line longer than the buffer */
				else
					break;		/* read the rest of the line */
			}
			*nl = '\0';
			line = p;
			p = nl + 1;
			addr = parse_hex(line, &q);
			if (q == line || q[0] != ' ' || !q[1] || q[2] != ' ' || !addr ||
			    (q[1] != 't' && q[1] != 'T' && q[1] != 'w' && q[1] != 'W'))
				continue;
			if (addr < pv.addr)
				return -1;
			/* the previous symbol names what lies before this one */
			name_wanted(&pv, w, n, &j, addr, 0, name_off, pool);
			name = q + 3;
			tab = strchr(name, '\t');
			pv.len = tab ? (size_t)(tab - name) : strlen(name);
			if (pv.len >= sizeof(pv.name))
				pv.len = sizeof(pv.name) - 1;
			memcpy(pv.name, name, pv.len);
			pv.addr = addr;
			pv.off = SIZE_MAX;
			pv.seen = 1;
		}
		have = p < end ? (size_t)(end - p) : 0;
		memmove(buf, p, have);
		if (eof)
			break;
	}
	name_wanted(&pv, w, n, &j, 0, 1, name_off, pool);
	return 0;
}

struct kallsyms *kallsyms_resolve(const char *path, const uint64_t *addrs,
				  size_t n, const char **names)
{
	struct kallsyms *k;
	struct fg_buf pool = FG_BUF_INIT;
	struct want *w;
	size_t *off, i;
	int fd;

	for (i = 0; i < n; i++)
		names[i] = NULL;
	if (!n)
		return xcalloc(1, sizeof(*k));
	fd = open(path ? path : "/proc/kallsyms", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return xcalloc(1, sizeof(*k));
	w = xmalloc(st_mult(n, sizeof(*w)));
	off = xmalloc(st_mult(n, sizeof(*off)));
	for (i = 0; i < n; i++) {
		w[i].addr = addrs[i];
		w[i].idx = i;
		off[i] = SIZE_MAX;
	}
	if (n > 1)
		qsort(w, n, sizeof(*w), want_cmp);
	if (resolve_sorted(fd, w, n, off, &pool)) {
		/* out of order (or unreadable at some point): the whole table */
		close(fd);
		free(w);
		free(off);
		fg_buf_release(&pool);
		k = kallsyms_load(path);
		for (i = 0; i < n; i++)
			names[i] = kallsyms_lookup(k, addrs[i]);
		return k;
	}
	close(fd);
	k = xcalloc(1, sizeof(*k));
	k->text = fg_buf_detach(&pool, NULL);
	for (i = 0; i < n; i++)
		if (off[i] != SIZE_MAX)
			names[i] = k->text + off[i];
	free(w);
	free(off);
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
