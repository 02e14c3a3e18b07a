#include "jitmap.h"
#include "../lib/files.h"

#include <sys/stat.h>
#include <unistd.h>

struct jit_entry {
	uint64_t start, end;
	uint32_t name;		/* offset in names */
	uint32_t seq;		/* order read: the later wins */
};

struct jit_syms {
	struct jit_entry *v;
	size_t nr, alloc;
	struct fg_buf names;
	int sorted;
};

/* How far back a lookup looks for an entry that still covers pc. */
#define JIT_BACKSCAN 64

struct jit_syms *jit_syms_new(void)
{
	struct jit_syms *j = xcalloc(1, sizeof(*j));

	fg_buf_init(&j->names, 0);
	return j;
}

void jit_syms_free(struct jit_syms *j)
{
	if (!j)
		return;
	free(j->v);
	fg_buf_release(&j->names);
	free(j);
}

static void add(struct jit_syms *j, uint64_t start, uint64_t size,
		const char *name, size_t len)
{
	struct jit_entry *e;

	if (!size || start + size < start || j->nr >= UINT32_MAX ||
	    j->names.len > UINT32_MAX - len - 1)
		return;
	ALLOC_GROW(j->v, j->nr + 1, j->alloc);
	e = &j->v[j->nr];
	e->start = start;
	e->end = start + size;
	e->name = (uint32_t)j->names.len;
	e->seq = (uint32_t)j->nr++;
	fg_buf_add(&j->names, name, len);
	fg_buf_addch(&j->names, '\0');
	j->sorted = 0;
}

/* Open path if it is a regular file; ENOENT is not worth a note. */
static int open_source(const char *path, int check_owner, struct fg_buf *note)
{
	struct fg_buf why = FG_BUF_INIT;
	struct stat st;
	int fd = file_open_regular(path, &why);

	if (fd < 0) {
		if (errno != ENOENT)
			fg_buf_addf(note, "'%s' was not read: %s", path, why.buf);
		fg_buf_release(&why);
		return errno == ENOENT ? -2 : -1;
	}
	fg_buf_release(&why);
	if (check_owner && (fstat(fd, &st) ||
			    (st.st_uid != geteuid() && st.st_uid != 0))) {
		fg_buf_addf(note, "'%s' was not read: it belongs to another user "
			    "(uid %d), and /tmp is shared", path, (int)st.st_uid);
		close(fd);
		return -1;
	}
	return fd;
}

long jit_syms_load_perf_map(struct jit_syms *j, const char *path, struct fg_buf *note)
{
	int fd = open_source(path, 1, note);
	FILE *fp;
	char *line = NULL;
	size_t alloc = 0;
	ssize_t len;
	long n = 0;

	if (fd < 0)
		return fd == -2 ? 0 : -1;
	fp = fdopen(fd, "r");
	if (!fp) {
		close(fd);
		return -1;
	}
	while ((len = getline(&line, &alloc, fp)) >= 0) {
		unsigned long long start, size;
		int off = 0;

		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (sscanf(line, "%llx %llx %n", &start, &size, &off) < 2 || !off ||
		    off > len || !line[off])
			continue;
		add(j, start, size, line + off, (size_t)(len - off));
		n++;
	}
	free(line);
	fclose(fp);
	return n;
}

/* jitdump: the header, and the records we use (perf's specification). */
#define JITDUMP_MAGIC 0x4A695444u	/* "JiTD" as a number: "DTiJ" on disk here */
#define JIT_CODE_LOAD 0
#define JIT_CODE_MOVE 1
#define JIT_CODE_CLOSE 3

long jit_syms_load_jitdump(struct jit_syms *j, const char *path, struct fg_buf *note)
{
	int fd = open_source(path, 0, note);
	unsigned char hdr[40], *rec = NULL;
	uint32_t magic, hsize;
	size_t cap = 0;
	off_t off;
	long n = 0;

	if (fd < 0)
		return fd == -2 ? 0 : -1;
	if (pread(fd, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr)) {
		close(fd);
		return 0;	/* still being written: nothing yet */
	}
	memcpy(&magic, hdr, 4);
	memcpy(&hsize, hdr + 8, 4);
	if (magic != JITDUMP_MAGIC || hsize < sizeof(hdr)) {
		fg_buf_addf(note, "'%s' is not a jitdump file of this byte order", path);
		close(fd);
		return -1;
	}
	for (off = hsize;;) {
		unsigned char rh[16];
		uint32_t id, size;
		uint64_t code_addr, code_size;
		size_t want;

		if (pread(fd, rh, sizeof(rh), off) != (ssize_t)sizeof(rh))
			break;
		memcpy(&id, rh, 4);
		memcpy(&size, rh + 4, 4);
		if (size < sizeof(rh))
			break;		/* corrupt, or cut while written */
		if (id == JIT_CODE_CLOSE)
			break;
		if (id == JIT_CODE_LOAD || id == JIT_CODE_MOVE) {
			/* the fields, and for a load its name; not the code */
			want = id == JIT_CODE_LOAD ? size : 56;
			if (want > size)
				break;
			if (id == JIT_CODE_LOAD && want > 56 + 4096 + 1)
				want = 56 + 4096 + 1;
			if (want > cap) {
				rec = xrealloc(rec, want);
				cap = want;
			}
			if (pread(fd, rec, want, off) != (ssize_t)want || want < 56)
				break;
			if (id == JIT_CODE_LOAD) {
				/* hdr(16) pid tid vma code_addr code_size code_index name */
				const char *name = (const char *)rec + 56;
				size_t nlen = strnlen(name, want - 56);

				memcpy(&code_addr, rec + 32, 8);
				memcpy(&code_size, rec + 40, 8);
				if (nlen)
					add(j, code_addr, code_size, name, nlen);
			} else {
				/* hdr pid tid vma old_code_addr new_code_addr size */
				uint64_t old_addr, i, found = UINT64_MAX;

				memcpy(&old_addr, rec + 32, 8);
				memcpy(&code_addr, rec + 40, 8);
				memcpy(&code_size, rec + 48, 8);
				for (i = j->nr; i-- > 0;)
					if (j->v[i].start == old_addr) {
						found = i;
						break;
					}
				if (found != UINT64_MAX) {
					char *nm = xstrdup(j->names.buf + j->v[found].name);

					add(j, code_addr, code_size, nm, strlen(nm));
					free(nm);
				}
			}
			n++;
		}
		off += size;
	}
	free(rec);
	close(fd);
	return n;
}

static int entry_cmp(const void *va, const void *vb)
{
	const struct jit_entry *a = va, *b = vb;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

const char *jit_syms_find(struct jit_syms *j, uint64_t pc)
{
	size_t lo = 0, hi, i, stop;
	const struct jit_entry *best = NULL;

	if (!j->nr)
		return NULL;
	if (!j->sorted) {
		qsort(j->v, j->nr, sizeof(*j->v), entry_cmp);
		j->sorted = 1;
	}
	hi = j->nr;
	while (lo < hi) {	/* the first entry starting after pc */
		size_t mid = lo + (hi - lo) / 2;

		if (j->v[mid].start <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	stop = lo > JIT_BACKSCAN ? lo - JIT_BACKSCAN : 0;
	for (i = lo; i > stop; i--) {
		const struct jit_entry *e = &j->v[i - 1];

		if (pc < e->end && (!best || e->seq > best->seq))
			best = e;
	}
	return best ? j->names.buf + best->name : NULL;
}

int jit_is_dump_path(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	return n > 9 && !strncmp(base, "jit-", 4) && !strcmp(base + n - 5, ".dump") &&
	       strspn(base + 4, "0123456789") == n - 9;
}
