/*
 * The perf.data reader. The format (PERFILE2, little-endian here):
 *
 *	header		magic, its size, attr_size, sections for the attrs,
 *			the data and event types, a 256-bit feature bitmap
 *	attrs		per event: struct perf_event_attr (attr.size bytes)
 *			and a section holding its sample ids
 *	data		records, each a struct perf_event_header and a body:
 *			the kernel's (as in its ring buffers), and perf's
 *			own from type 64 on
 *	features	after the data: one section per set feature bit
 *
 * A pipe-mode stream has only magic and size (16) and carries the
 * attributes and features as records (HEADER_ATTR, HEADER_FEATURE).
 * Nothing of the file is trusted: sizes and offsets are checked against
 * the file and the record before any use.
 */
#include "perf-data.h"
#include "ordered.h"
#include "../lib/files.h"
#include "../lib/error.h"
#include "../lib/intmap.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zstd.h>

#define PERF_MAGIC2 0x32454c4946524550ULL	/* "PERFILE2", little-endian */
#define PERF_MAGIC2_SWAPPED 0x50455246494c4532ULL
#define FILE_HEADER_SIZE 104
#define PIPE_HEADER_SIZE 16

/* perf's own record types (the kernel's end below 64). */
enum {
	REC_HEADER_ATTR = 64,
	REC_HEADER_EVENT_TYPE = 65,
	REC_HEADER_TRACING_DATA = 66,
	REC_HEADER_BUILD_ID = 67,
	REC_FINISHED_ROUND = 68,
	REC_ID_INDEX = 69,
	REC_AUXTRACE_INFO = 70,
	REC_AUXTRACE = 71,
	REC_AUXTRACE_ERROR = 72,
	REC_EVENT_UPDATE = 78,
	REC_HEADER_FEATURE = 80,
	REC_COMPRESSED = 81,
	REC_FINISHED_INIT = 82,
	REC_COMPRESSED2 = 83,
};

/* Feature bits (sections after the data). */
enum {
	FEAT_ARCH = 6,
	FEAT_CMDLINE = 11,
	FEAT_EVENT_DESC = 12,
	FEAT_AUXTRACE = 18,
	FEAT_DIR_FORMAT = 24,
	FEAT_COMPRESSED = 27,
	FEAT_BITS = 256,
};

#define EVENT_UPDATE_NAME 2
#define COMP_ZSTD 1

#define BUF_SIZE (2u << 20)		/* read block */
#define SPARSE_MIN 16384		/* samples read in parts from this size */
#define SPARSE_TAIL 1024		/* bytes read at a sample's end */
#define MAX_RECORD 65536		/* header.size is 16 bits */
#define DEFAULT_MAX_PENDING (512u << 20)
#define MAX_ATTRS 4096
#define MAX_IDS (1u << 24)

struct attr {
	struct perf_event_attr attr;
	struct perf_format fmt;
	char *name;		/* from EVENT_DESC / EVENT_UPDATE, or NULL */
	int dummy;		/* a software "dummy" tracking event */
};

/*
 * A stack copy left in the file until its sample is handed over: its
 * stack_len bytes at file offset stack_at go at offset split of the record.
 */
struct deferred {
	uint64_t stack_at;
	uint32_t stack_len;	/* 0: the record is complete */
	uint32_t split;
};

/*
 * A record held back for reordering (an item of the ordered queue): the
 * format of its event, its deferred stack copy, and the record itself.
 */
struct held {
	const struct perf_format *fmt;
	struct deferred def;
	uint64_t rec[];		/* the record, 8-byte aligned */
};

/* The data being read: a window on the file or pipe. */
struct source {
	int fd;
	int seekable;
	uint64_t pos;		/* stream offset of buf[start] */
	uint64_t end;		/* stream offset where the data ends */
	unsigned char *buf;
	size_t size;		/* of buf: at least MAX_RECORD */
	size_t start, len;	/* valid bytes: buf[start..len) */
	size_t granule;		/* seekable: bytes to read ahead, 0 for all */
	int eof;
};

struct reader {
	const char *name;
	struct perf_data_opts opts;
	struct perf_data_stats *st;
	struct fg_buf *err;
	record_cb cb;
	void *ctx;

	uint64_t file_size;	/* seekable files */
	struct attr **attrs;	/* each its own block: held records point
				   at their format (see struct held) */
	size_t nattrs, attrs_alloc;
	struct intmap ids;	/* sample id -> attr index */
	int id_mode;		/* 0 none, 1 IDENTIFIER, 2 ID */
	size_t id_pos;		/* ID: u64 index in a sample body */
	size_t id_from_end;	/* ID: u64s from the end of other records */
	int keep;		/* kept attr index, -1 before choosing */
	int has_aux;
	char **desc_names;	/* EVENT_DESC names, by attr order */
	uint64_t **desc_ids;
	size_t *desc_nids;
	size_t ndesc;

	struct ordered_queue queue;	/* of struct held */
	uint64_t next_flush;	/* the next round delivers up to this */

	ZSTD_DStream *zs;
	unsigned char *zbuf;	/* decompressed bytes not yet parsed */
	size_t zlen, zalloc;
	uint64_t zskip;		/* payload bytes to skip in zbuf */

	uint64_t *aligned[2];	/* scratch for misaligned records (outer, inner) */
	unsigned char *sparse;	/* a sample read in parts */
	unsigned char *whole;	/* a deferred sample put together */
	int fd;			/* the file, for deferred stacks */
	int stop;		/* the callback's negative value */
};

static const struct { uint32_t type; uint64_t config; const char *name; } names[] = {
	{ PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, "cycles" },
	{ PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, "instructions" },
	{ PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES, "cache-references" },
	{ PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES, "cache-misses" },
	{ PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS, "branch-instructions" },
	{ PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES, "branch-misses" },
	{ PERF_TYPE_HARDWARE, PERF_COUNT_HW_BUS_CYCLES, "bus-cycles" },
	{ PERF_TYPE_HARDWARE, PERF_COUNT_HW_STALLED_CYCLES_FRONTEND, "stalled-cycles-frontend" },
	{ PERF_TYPE_HARDWARE, PERF_COUNT_HW_STALLED_CYCLES_BACKEND, "stalled-cycles-backend" },
	{ PERF_TYPE_HARDWARE, PERF_COUNT_HW_REF_CPU_CYCLES, "ref-cycles" },
	{ PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, "cpu-clock" },
	{ PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, "task-clock" },
	{ PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, "page-faults" },
	{ PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES, "context-switches" },
	{ PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS, "cpu-migrations" },
	{ PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MIN, "minor-faults" },
	{ PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MAJ, "major-faults" },
	{ PERF_TYPE_SOFTWARE, PERF_COUNT_SW_ALIGNMENT_FAULTS, "alignment-faults" },
	{ PERF_TYPE_SOFTWARE, PERF_COUNT_SW_EMULATION_FAULTS, "emulation-faults" },
	{ PERF_TYPE_SOFTWARE, PERF_COUNT_SW_DUMMY, "dummy" },
	{ PERF_TYPE_SOFTWARE, PERF_COUNT_SW_BPF_OUTPUT, "bpf-output" },
	{ PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CGROUP_SWITCHES, "cgroup-switches" },
};

/*
 * perf's name for an event given by type and config ("cpu-clock",
 * "cycles"), or NULL for events without a fixed name (tracepoints, raw
 * and dynamic PMU events).
 */
static const char *event_name(uint32_t type, uint64_t config)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].type == type && names[i].config == config)
			return names[i].name;
	return NULL;
}

static int bad(struct reader *r, const char *fmt, ...) FG_PRINTF(2, 3);
static int bad(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	fg_buf_addf(r->err, "'%s': ", r->name);
	va_start(ap, fmt);
	fg_buf_vaddf(r->err, fmt, ap);
	va_end(ap);
	return -FG_ERR_BAD_INPUT;
}

static int unsupported(struct reader *r, const char *fmt, ...) FG_PRINTF(2, 3);
static int unsupported(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	fg_buf_addf(r->err, "'%s': ", r->name);
	va_start(ap, fmt);
	fg_buf_vaddf(r->err, fmt, ap);
	va_end(ap);
	return -FG_ERR_UNSUPPORTED;
}

static int io_error(struct reader *r, const char *what)
{
	fg_buf_addf(r->err, "cannot %s '%s': %s", what, r->name, strerror(errno));
	return -FG_ERR_IO;
}

static uint64_t get_u64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static uint32_t get_u32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* Read exactly len bytes at off of a seekable file. */
static int read_at(struct reader *r, int fd, uint64_t off, void *dst, size_t len)
{
	unsigned char *p = dst;

	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return io_error(r, "read");
		if (!n)
			return bad(r, "truncated file (%zu bytes missing at offset %" PRIu64 ")",
				   len, off);
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

/* A section [off, off+size) lies inside the file. */
static int section_ok(const struct reader *r, uint64_t off, uint64_t size)
{
	return off <= r->file_size && size <= r->file_size - off;
}

/*
 * The source: make n bytes available at the current position; returns
 * them, or NULL at the end of the data (*err < 0 on a read error).
 */
static const unsigned char *src_peek(struct reader *r, struct source *s,
				     size_t n, int *err)
{
	*err = 0;
	if (s->end - s->pos < n)
		return NULL;
	while (s->len - s->start < n) {
		size_t want;
		ssize_t got;

		if (s->eof)
			return NULL;
		if (s->start) {
			memmove(s->buf, s->buf + s->start, s->len - s->start);
			s->len -= s->start;
			s->start = 0;
		}
		want = s->size - s->len;
		if (s->seekable) {
			uint64_t left = s->end - s->pos - s->len;
			size_t need = n - (s->len - s->start);

			if (s->granule && want > s->granule)
				want = need > s->granule ? need : s->granule;
			if (want > left)
				want = (size_t)left;
			got = pread(s->fd, s->buf + s->len, want,
				    (off_t)(s->pos + s->len));
		} else {
			got = read(s->fd, s->buf + s->len, want);
		}
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			*err = io_error(r, "read");
			return NULL;
		}
		if (!got)
			s->eof = 1;
		s->len += (size_t)got;
	}
	return s->buf + s->start;
}

static void src_skip(struct source *s, size_t n)
{
	s->start += n;
	s->pos += n;
}

/* Move n bytes on in a seekable file without reading them. */
static void src_seek(struct source *s, uint64_t n)
{
	if (n <= s->len - s->start) {
		src_skip(s, (size_t)n);
		return;
	}
	s->pos += n;
	s->start = s->len = 0;
}

/* Skip n bytes of the stream (payloads that follow some records). */
static int src_skip_far(struct reader *r, struct source *s, uint64_t n)
{
	int err = 0;

	while (n) {
		size_t have = s->len - s->start, step;

		if (!have && !src_peek(r, s, 1, &err))
			return err ? err : bad(r, "truncated data section");
		have = s->len - s->start;
		step = n < have ? (size_t)n : have;
		src_skip(s, step);
		n -= step;
	}
	return 0;
}

/* Names and formats ---------------------------------------------------- */

static void attr_to_format(struct attr *a)
{
	a->fmt.sample_type = a->attr.sample_type;
	a->fmt.regs_user_mask = a->attr.sample_regs_user;
	a->fmt.read_format = a->attr.read_format;
	a->fmt.branch_sample_type = a->attr.branch_sample_type;
	a->fmt.sample_id_all = a->attr.sample_id_all;
	a->dummy = a->attr.type == PERF_TYPE_SOFTWARE &&
		   a->attr.config == PERF_COUNT_SW_DUMMY;
}

/*
 * Copy an attr of size bytes (the writer's struct size, which may be
 * smaller or larger than ours) into a. Returns 0, or -1 when too small.
 */
static int load_attr(struct perf_event_attr *a, const void *p, size_t size)
{
	if (size < PERF_ATTR_SIZE_VER0)
		return -1;
	memset(a, 0, sizeof(*a));
	memcpy(a, p, size < sizeof(*a) ? size : sizeof(*a));
	return 0;
}

static void attr_name(const struct reader *r, size_t i, char *buf, size_t size)
{
	const struct attr *a = r->attrs[i];
	const char *n = a->name ? a->name : event_name(a->attr.type, a->attr.config);

	if (n)
		snprintf(buf, size, "%s", n);
	else
		snprintf(buf, size, "event-%u:0x%" PRIx64, a->attr.type,
			 (uint64_t)a->attr.config);
}

static int name_matches(const char *name, const char *want)
{
	size_t n = strcspn(name, ":");

	return !strcmp(name, want) || (strlen(want) == n && !strncmp(name, want, n));
}

/*
 * Where sample ids sit, when several events share the file: at a fixed
 * place given by IDENTIFIER, else by ID (then every event must put it at
 * the same place, as perf requires).
 */
static int setup_ids(struct reader *r)
{
	uint64_t t0, t;
	size_t i;
	int all_ident = 1, all_id = 1;

	r->id_mode = 0;
	if (r->nattrs < 2)
		return 0;
	t0 = r->attrs[0]->attr.sample_type;
	for (i = 0; i < r->nattrs; i++) {
		t = r->attrs[i]->attr.sample_type;
		if (!(t & PERF_SAMPLE_IDENTIFIER))
			all_ident = 0;
		if (!(t & PERF_SAMPLE_ID))
			all_id = 0;
		if ((t & (PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
			  PERF_SAMPLE_TIME | PERF_SAMPLE_ADDR | PERF_SAMPLE_ID |
			  PERF_SAMPLE_STREAM_ID | PERF_SAMPLE_CPU)) !=
		    (t0 & (PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
			   PERF_SAMPLE_TIME | PERF_SAMPLE_ADDR | PERF_SAMPLE_ID |
			   PERF_SAMPLE_STREAM_ID | PERF_SAMPLE_CPU)))
			all_id = 0;
	}
	if (all_ident) {
		r->id_mode = 1;
		return 0;
	}
	if (!all_id)
		return unsupported(r, "several events whose samples carry no common id");
	r->id_mode = 2;
	r->id_pos = !!(t0 & PERF_SAMPLE_IP) + !!(t0 & PERF_SAMPLE_TID) +
		    !!(t0 & PERF_SAMPLE_TIME) + !!(t0 & PERF_SAMPLE_ADDR);
	r->id_from_end = 1 + !!(t0 & PERF_SAMPLE_STREAM_ID) + !!(t0 & PERF_SAMPLE_CPU);
	return 0;
}

/* The attr that wrote record h (index), or -1 when its id is unknown. */
static int record_attr(const struct reader *r, const struct perf_event_header *h)
{
	const unsigned char *body = (const unsigned char *)(h + 1);
	size_t n = (h->size - sizeof(*h)) / 8;
	uint64_t id, *v;

	if (r->nattrs < 2 || !r->id_mode)
		return r->nattrs ? 0 : -1;
	if (h->type == PERF_RECORD_SAMPLE) {
		size_t pos = r->id_mode == 1 ? 0 : r->id_pos;

		if (pos >= n)
			return -1;
		id = get_u64(body + pos * 8);
	} else {
		size_t back = r->id_mode == 1 ? 1 : r->id_from_end;

		if (!r->attrs[0]->fmt.sample_id_all || back > n)
			return -1;
		id = get_u64((const unsigned char *)h + h->size - back * 8);
	}
	v = intmap_get(&r->ids, id);
	return v ? (int)*v : -1;
}

static int add_attr(struct reader *r, const struct perf_event_attr *a,
		    const unsigned char *ids, uint64_t nids)
{
	struct attr *at;
	uint64_t i;

	if (r->nattrs >= MAX_ATTRS)
		return bad(r, "too many events");
	ALLOC_GROW(r->attrs, r->nattrs + 1, r->attrs_alloc);
	at = r->attrs[r->nattrs] = xcalloc(1, sizeof(*at));
	r->nattrs++;
	at->attr = *a;
	attr_to_format(at);
	for (i = 0; i < nids; i++) {
		uint64_t id = get_u64(ids + i * 8);

		/* the map reserves UINT64_MAX; no kernel id is that large */
		if (id == UINT64_MAX)
			return bad(r, "an event id out of range");
		intmap_put(&r->ids, id, r->nattrs - 1);
	}
	return setup_ids(r);
}

/* Feature sections ------------------------------------------------------ */

/* A perf_header_string at *p (advanced); NULL when it does not fit. */
static const char *take_string(const unsigned char **p, const unsigned char *end,
			       size_t *len)
{
	uint32_t n;
	const char *s;

	if (end - *p < 4)
		return NULL;
	n = get_u32(*p);
	if ((size_t)(end - *p - 4) < n)
		return NULL;
	s = (const char *)*p + 4;
	*p += 4 + n;
	*len = strnlen(s, n);
	return s;
}

static void copy_string(char *dst, size_t size, const char *s, size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

static int parse_event_desc(struct reader *r, const unsigned char *p,
			    const unsigned char *end)
{
	uint32_t nr, asz, i;

	if (end - p < 8)
		return bad(r, "short event description section");
	nr = get_u32(p);
	asz = get_u32(p + 4);
	p += 8;
	if (asz < PERF_ATTR_SIZE_VER0 || nr > MAX_ATTRS)
		return bad(r, "bad event description section");
	for (i = 0; i < nr; i++) {
		const char *s;
		size_t len;
		uint32_t nids;

		if ((size_t)(end - p) < (size_t)asz + 4)
			return bad(r, "short event description section");
		p += asz;
		nids = get_u32(p);
		p += 4;
		s = take_string(&p, end, &len);
		if (!s || (uint64_t)(end - p) / 8 < nids)
			return bad(r, "short event description section");
		r->desc_names = xrealloc(r->desc_names, (r->ndesc + 1) * sizeof(char *));
		r->desc_ids = xrealloc(r->desc_ids, (r->ndesc + 1) * sizeof(uint64_t *));
		r->desc_nids = xrealloc(r->desc_nids, (r->ndesc + 1) * sizeof(size_t));
		r->desc_names[r->ndesc] = xmemdupz(s, len);
		r->desc_ids[r->ndesc] = xmalloc(nids ? (size_t)nids * 8 : 1);
		memcpy(r->desc_ids[r->ndesc], p, (size_t)nids * 8);
		r->desc_nids[r->ndesc] = nids;
		r->ndesc++;
		p += (size_t)nids * 8;
	}
	return 0;
}

/* Give the attrs the names of the event descriptions (by id, else order). */
static void apply_desc_names(struct reader *r)
{
	size_t i, k;

	for (i = 0; i < r->ndesc; i++) {
		int idx = -1;

		for (k = 0; k < r->desc_nids[i] && idx < 0; k++) {
			uint64_t *v = intmap_get(&r->ids, r->desc_ids[i][k]);

			if (v)
				idx = (int)*v;
		}
		if (idx < 0 && i < r->nattrs)
			idx = (int)i;
		if (idx >= 0 && !r->attrs[idx]->name)
			r->attrs[idx]->name = xstrdup(r->desc_names[i]);
	}
}

static int parse_feature(struct reader *r, int feat, const unsigned char *p,
			 const unsigned char *end)
{
	const char *s;
	size_t len;

	switch (feat) {
	case FEAT_ARCH:
		s = take_string(&p, end, &len);
		if (s)
			copy_string(r->st->arch, sizeof(r->st->arch), s, len);
		break;
	case FEAT_CMDLINE: {
		uint32_t nr, i;
		struct fg_buf b = FG_BUF_INIT;

		if (end - p < 4)
			break;
		nr = get_u32(p);
		p += 4;
		for (i = 0; i < nr && (s = take_string(&p, end, &len)); i++) {
			if (b.len)
				fg_buf_addch(&b, ' ');
			fg_buf_add(&b, s, len);
		}
		copy_string(r->st->cmdline, sizeof(r->st->cmdline), b.buf, b.len);
		fg_buf_release(&b);
		break;
	}
	case FEAT_EVENT_DESC:
		return parse_event_desc(r, p, end);
	case FEAT_AUXTRACE:
		r->has_aux = 1;
		break;
	case FEAT_DIR_FORMAT:
		return unsupported(r, "a directory-format perf.data (perf record --threads)");
	case FEAT_COMPRESSED:
		if (end - p >= 8 && get_u32(p + 4) != COMP_ZSTD && get_u32(p + 4) != 0)
			return unsupported(r, "records compressed with method %u (only zstd is known)",
					   get_u32(p + 4));
		break;
	default:
		break;
	}
	return 0;
}

/* The header of a file-mode perf.data: attrs, ids and features. */
static int read_file_header(struct reader *r, int fd, struct source *src)
{
	unsigned char hdr[FILE_HEADER_SIZE];
	uint64_t hsize, attr_size, a_off, a_size, d_off, d_size, nattrs, i;
	uint64_t bits[4], feat_off;
	unsigned char *entry = NULL;
	int ret, k, nfeat = 0;

	if (r->file_size < FILE_HEADER_SIZE)
		return bad(r, "truncated perf.data header");
	if ((ret = read_at(r, fd, 0, hdr, sizeof(hdr))))
		return ret;
	hsize = get_u64(hdr + 8);
	attr_size = get_u64(hdr + 16);
	a_off = get_u64(hdr + 24);
	a_size = get_u64(hdr + 32);
	d_off = get_u64(hdr + 40);
	d_size = get_u64(hdr + 48);
	memcpy(bits, hdr + 72, 32);
	if (hsize < FILE_HEADER_SIZE || hsize > r->file_size)
		return bad(r, "bad header size %" PRIu64, hsize);
	if (attr_size < PERF_ATTR_SIZE_VER0 + 16 || attr_size > 4096)
		return bad(r, "bad attribute size %" PRIu64, attr_size);
	if (!section_ok(r, a_off, a_size))
		return bad(r, "attribute section beyond the end of the file");
	if (d_off > r->file_size)
		return bad(r, "data section beyond the end of the file");
	nattrs = a_size / attr_size;
	if (!nattrs || nattrs > MAX_ATTRS)
		return bad(r, "bad number of events (%" PRIu64 ")", nattrs);
	entry = xmalloc((size_t)attr_size);
	for (i = 0; i < nattrs && !ret; i++) {
		struct perf_event_attr a;
		uint64_t id_off, id_size, asz;
		unsigned char *ids = NULL;

		if ((ret = read_at(r, fd, a_off + i * attr_size, entry, (size_t)attr_size)))
			break;
		/* The attr has the writer's size; its ids section follows it. */
		asz = get_u32(entry + 4);
		if (!asz)
			asz = PERF_ATTR_SIZE_VER0;
		if (asz > attr_size - 16 || load_attr(&a, entry, (size_t)asz)) {
			ret = bad(r, "bad size of event %" PRIu64 " (%" PRIu64 ")", i, asz);
			break;
		}
		id_off = get_u64(entry + asz);
		id_size = get_u64(entry + asz + 8);
		if (!section_ok(r, id_off, id_size) || id_size / 8 > MAX_IDS) {
			ret = bad(r, "bad id section of event %" PRIu64, i);
			break;
		}
		id_size &= ~7ULL;
		if (id_size) {
			ids = xmalloc((size_t)id_size);
			ret = read_at(r, fd, id_off, ids, (size_t)id_size);
		}
		if (!ret)
			ret = add_attr(r, &a, ids, id_size / 8);
		free(ids);
	}
	free(entry);
	if (ret)
		return ret;

	/* The data section; a killed perf leaves its size 0. */
	src->pos = d_off;
	src->end = d_off + d_size;
	r->st->data_bytes = d_size;
	if (!d_size && r->file_size > d_off) {
		r->st->unfinished = 1;
		src->end = r->file_size;
		r->st->data_bytes = r->file_size - d_off;
		return 0;
	}
	if (d_size > r->file_size - d_off)
		return 0;	/* truncated: the data reader says so */

	/* Feature sections: one (offset, size) per set bit, in bit order. */
	feat_off = d_off + d_size;
	for (k = 1; k < FEAT_BITS && !ret; k++) {
		unsigned char sec[16];
		uint64_t off, size;
		unsigned char *buf;

		if (!(bits[k / 64] & (1ULL << (k % 64))))
			continue;
		ret = read_at(r, fd, feat_off + (uint64_t)nfeat++ * 16, sec, 16);
		if (ret) {
			fg_buf_reset(r->err);
			ret = bad(r, "truncated feature sections");
			break;
		}
		off = get_u64(sec);
		size = get_u64(sec + 8);
		if (!section_ok(r, off, size)) {
			ret = bad(r, "feature section %d beyond the end of the file", k);
			break;
		}
		if (k != FEAT_ARCH && k != FEAT_CMDLINE && k != FEAT_EVENT_DESC &&
		    k != FEAT_AUXTRACE && k != FEAT_DIR_FORMAT && k != FEAT_COMPRESSED)
			continue;
		if (size > (64u << 20)) {
			ret = bad(r, "feature section %d too large", k);
			break;
		}
		buf = xmalloc((size_t)size + 1);
		ret = read_at(r, fd, off, buf, (size_t)size);
		if (!ret)
			ret = parse_feature(r, k, buf, buf + size);
		free(buf);
	}
	return ret;
}

/* Choosing the event, reading its properties ----------------------------- */

static int choose_event(struct reader *r)
{
	const struct attr *a;
	size_t i;
	char nm[128];

	if (r->keep >= 0 || !r->nattrs)
		return 0;
	apply_desc_names(r);
	r->st->nr_events = (unsigned)r->nattrs;
	if (r->opts.event) {
		for (i = 0; i < r->nattrs; i++) {
			attr_name(r, i, nm, sizeof(nm));
			if (name_matches(nm, r->opts.event))
				break;
		}
		if (i == r->nattrs) {
			fg_buf_addf(r->err, "'%s' has no event '%s'; it has:", r->name,
				    r->opts.event);
			for (i = 0; i < r->nattrs; i++) {
				attr_name(r, i, nm, sizeof(nm));
				fg_buf_addf(r->err, " '%s'", nm);
			}
			return -FG_ERR_BAD_OPTION;
		}
	} else {
		for (i = 0; i < r->nattrs && r->attrs[i]->dummy; i++)
			;
		if (i == r->nattrs)
			i = 0;
	}
	r->keep = (int)i;
	a = r->attrs[i];
	attr_name(r, i, r->st->event, sizeof(r->st->event));
	r->st->freq = a->attr.freq;
	r->st->sample_freq = a->attr.sample_freq;	/* a union with the period */
	r->st->callchain = !!(a->attr.sample_type & PERF_SAMPLE_CALLCHAIN);
	r->st->dwarf = (a->attr.sample_type & PERF_SAMPLE_REGS_USER) &&
		       (a->attr.sample_type & PERF_SAMPLE_STACK_USER);
	r->st->stack_size = a->attr.sample_stack_user;
	if ((a->attr.sample_type & PERF_SAMPLE_REGS_USER) && r->st->arch[0]) {
		struct utsname u;

		if (!uname(&u) && strcmp(u.machine, r->st->arch))
			return unsupported(r, "user registers of another architecture (%s)",
					   r->st->arch);
	}
	return 0;
}

/* Reordering ------------------------------------------------------------- */

static int deliver(struct reader *r, const struct perf_format *fmt,
		   const struct perf_event_header *h, const struct deferred *d)
{
	int ret;

	if (r->stop)
		return r->stop;
	if (d && d->stack_len) {
		/* Read the stack into its place in the record. */
		unsigned char *w;

		if (!r->whole)
			r->whole = xmalloc(MAX_RECORD);
		w = r->whole;
		memcpy(w, h, d->split);
		ret = read_at(r, r->fd, d->stack_at, w + d->split, d->stack_len);
		if (ret)
			return r->stop = ret;
		memcpy(w + d->split + d->stack_len, (const unsigned char *)h + d->split,
		       h->size - d->split);
		((struct perf_event_header *)w)->size = (uint16_t)(h->size + d->stack_len);
		h = (const void *)w;
	}
	r->st->delivered++;
	if (h->type == PERF_RECORD_SAMPLE)
		r->st->samples++;
	ret = r->cb(r->ctx, fmt, h);
	if (ret < 0)
		r->stop = ret;
	return r->stop;
}

/* A record of size bytes to be held, to be filled by the caller. */
static struct held *held_new(const struct perf_format *fmt, size_t size)
{
	struct held *hd = xmalloc(st_add(sizeof(*hd), size));

	hd->fmt = fmt;
	memset(&hd->def, 0, sizeof(hd->def));
	return hd;
}

static struct perf_event_header *held_rec(struct held *hd)
{
	return (void *)hd->rec;
}

/* The ordered queue's delivery. */
static int deliver_held(void *ctx, void *item)
{
	struct held *hd = item;

	return deliver(ctx, hd->fmt, held_rec(hd), &hd->def);
}

/* Hand over, in time order, the held records up to limit. */
static int flush(struct reader *r, uint64_t limit)
{
	int ret = ordered_flush(&r->queue, limit);

	return ret ? ret : r->stop;
}

/*
 * Queue record h (of attr fmt) at time, or hand it over at once when it
 * has no time (perf does the same). hd is h made ready to be held
 * (trimmed, maybe with a deferred stack), or NULL to hold a copy of h.
 */
static int queue(struct reader *r, const struct perf_format *fmt,
		 const struct perf_event_header *h, struct held *hd,
		 int has_time, uint64_t time)
{
	if (!has_time || !time) {
		int ret = hd ? deliver(r, hd->fmt, held_rec(hd), &hd->def)
			     : deliver(r, fmt, h, NULL);

		free(hd);
		return ret;
	}
	if (!hd) {
		hd = held_new(fmt, h->size);
		memcpy(held_rec(hd), h, h->size);
	}
	return ordered_add(&r->queue, time, hd, held_rec(hd)->size);
}

/* Records ---------------------------------------------------------------- */

static int process_stream(struct reader *r, const unsigned char *p, size_t len,
			  size_t *used);

static int on_sample(struct reader *r, const struct perf_event_header *h)
{
	int idx = record_attr(r, h);
	const struct attr *a;
	struct perf_sample s;
	struct held *hd;
	size_t size;
	int ret;

	if (r->keep < 0 && (ret = choose_event(r)))
		return ret;
	if (idx < 0 || idx != r->keep) {
		r->st->other_samples++;
		return 0;
	}
	a = r->attrs[idx];
	if (perf_sample_parse(&a->fmt, h, &s)) {
		r->st->bad_samples++;
		return 0;
	}
	size = perf_sample_trimmed_size(h, &s);
	hd = held_new(&a->fmt, size);
	perf_sample_trim(h, &s, held_rec(hd));
	r->st->trimmed_bytes += h->size - size;
	return queue(r, &a->fmt, h, hd,
		     !!(a->attr.sample_type & PERF_SAMPLE_TIME), s.time);
}

static int on_header_attr(struct reader *r, const struct perf_event_header *h)
{
	const unsigned char *body = (const unsigned char *)(h + 1);
	size_t len = h->size - sizeof(*h);
	struct perf_event_attr a;
	uint32_t asz;

	if (len < 8)
		return bad(r, "short attribute record");
	asz = get_u32(body + 4);
	if (!asz)
		asz = PERF_ATTR_SIZE_VER0;
	if (asz > len || load_attr(&a, body, asz))
		return bad(r, "bad attribute record");
	if (r->keep >= 0)
		return 0;	/* the event is chosen; later attrs are not ours */
	return add_attr(r, &a, body + asz, (len - asz) / 8);
}

static int on_event_update(struct reader *r, const struct perf_event_header *h)
{
	const unsigned char *body = (const unsigned char *)(h + 1);
	size_t len = h->size - sizeof(*h);
	uint64_t *v;

	if (len < 17 || get_u64(body) != EVENT_UPDATE_NAME)
		return 0;
	v = intmap_get(&r->ids, get_u64(body + 8));
	if (v && !r->attrs[*v]->name)
		r->attrs[*v]->name = xmemdupz(body + 16, strnlen((const char *)body + 16, len - 16));
	return 0;
}

static int decompress(struct reader *r, const unsigned char *p, size_t len)
{
	ZSTD_inBuffer in = { p, len, 0 };
	ZSTD_outBuffer out;
	int ret;

	if (!r->zs) {
		r->zs = ZSTD_createDStream();
		if (!r->zs || ZSTD_isError(ZSTD_initDStream(r->zs)))
			return bad(r, "cannot start zstd decompression");
	}
	r->st->compressed = 1;
	r->st->compressed_records++;
	r->st->compressed_bytes += len;
	do {
		size_t zret, used = 0;

		if (r->zalloc - r->zlen < (1u << 20)) {
			r->zalloc = r->zlen + (2u << 20);
			r->zbuf = xrealloc(r->zbuf, r->zalloc);
		}
		out.dst = r->zbuf + r->zlen;
		out.size = r->zalloc - r->zlen;
		out.pos = 0;
		zret = ZSTD_decompressStream(r->zs, &out, &in);
		if (ZSTD_isError(zret))
			return bad(r, "corrupt compressed records: %s", ZSTD_getErrorName(zret));
		r->zlen += out.pos;
		r->st->decompressed_bytes += out.pos;
		if ((ret = process_stream(r, r->zbuf, r->zlen, &used)))
			return ret;
		memmove(r->zbuf, r->zbuf + used, r->zlen - used);
		r->zlen -= used;
	} while (in.pos < in.size || out.pos == out.size);
	return 0;
}

/*
 * One record. *extra receives the bytes of payload that follow it outside
 * its size (AUXTRACE data, tracing data). inner: from a compressed chunk.
 */
static int process_record(struct reader *r, const struct perf_event_header *h,
			  int inner, uint64_t *extra)
{
	const unsigned char *body = (const unsigned char *)(h + 1);
	size_t len = h->size - sizeof(*h);
	int idx, ret;
	uint64_t time = 0;
	const struct perf_format *fmt;

	*extra = 0;
	r->st->records++;
	if (h->type == PERF_RECORD_SAMPLE)
		return on_sample(r, h);
	if (h->type < REC_HEADER_ATTR) {
		if (!r->nattrs)
			return bad(r, "records before any event attribute");
		if (h->type == PERF_RECORD_LOST && len >= 16)
			r->st->lost += get_u64(body + 8);
		else if (h->type == PERF_RECORD_LOST_SAMPLES && len >= 8)
			r->st->lost += get_u64(body);
		idx = record_attr(r, h);
		fmt = &r->attrs[idx < 0 ? 0 : idx]->fmt;
		ret = !perf_record_time(fmt, h, &time);
		return queue(r, fmt, h, NULL, ret, time);
	}
	switch (h->type) {
	case REC_HEADER_ATTR:
		return on_header_attr(r, h);
	case REC_FINISHED_ROUND:
		r->st->rounds++;
		ret = flush(r, r->next_flush);
		r->next_flush = r->queue.max_time;
		return ret;
	case REC_HEADER_FEATURE:
		if (len < 8)
			return bad(r, "short feature record");
		if (get_u64(body) >= FEAT_BITS)
			return 0;
		return parse_feature(r, (int)get_u64(body), body + 8, body + len);
	case REC_EVENT_UPDATE:
		return on_event_update(r, h);
	case REC_COMPRESSED:
	case REC_COMPRESSED2:
		if (inner)
			return bad(r, "compressed records inside compressed records");
		if (h->type == REC_COMPRESSED2) {
			if (len < 8 || get_u64(body) > len - 8)
				return bad(r, "bad compressed record");
			return decompress(r, body + 8, (size_t)get_u64(body));
		}
		return decompress(r, body, len);
	case REC_AUXTRACE_INFO:
		r->has_aux = 1;
		break;
	case REC_AUXTRACE:
		if (len < 8)
			return bad(r, "short AUX trace record");
		*extra = get_u64(body);
		break;
	case REC_HEADER_TRACING_DATA:
		if (len < 4)
			return bad(r, "short tracing data record");
		*extra = ((uint64_t)get_u32(body) + 7) & ~7ULL;
		break;
	default:
		break;
	}
	r->st->skipped_records++;
	return 0;
}

/* A record header at p with n bytes available: its size, checked. */
static int record_size(struct reader *r, const unsigned char *p, size_t *size)
{
	struct perf_event_header h;

	memcpy(&h, p, sizeof(h));
	if (h.size < sizeof(h))
		return bad(r, "corrupt record (size %u, type %u)", h.size, h.type);
	*size = h.size;
	return 0;
}

/*
 * An 8-byte aligned view of n bytes at p; inner: for a record of a
 * compressed chunk (while the outer record is still in use).
 */
static const struct perf_event_header *aligned(struct reader *r,
					       const unsigned char *p, size_t n,
					       int inner)
{
	if (!((uintptr_t)p & 7))
		return (const void *)p;
	if (!r->aligned[inner])
		r->aligned[inner] = xmalloc(MAX_RECORD);
	memcpy(r->aligned[inner], p, n);
	return (const void *)r->aligned[inner];
}

/*
 * The records of a decompressed buffer: processes the complete ones and
 * sets *used to the bytes consumed (a record may continue in the next
 * chunk).
 */
static int process_stream(struct reader *r, const unsigned char *p, size_t len,
			  size_t *used)
{
	size_t off = 0, size = 0;
	int ret;

	for (;;) {
		uint64_t extra;

		if (r->zskip) {
			size_t step = r->zskip < len - off ? (size_t)r->zskip : len - off;

			off += step;
			r->zskip -= step;
			if (r->zskip)
				break;
		}
		if (len - off < sizeof(struct perf_event_header))
			break;
		if ((ret = record_size(r, p + off, &size)))
			return ret;
		if (len - off < size)
			break;
		ret = process_record(r, aligned(r, p + off, size, 1), 1, &extra);
		if (ret)
			return ret;
		off += size;
		r->zskip = extra;
	}
	*used = off;
	return 0;
}

/*
 * A large sample of a seekable file, read in parts. A DWARF sample holds
 * a stack copy of the requested size (often 64 KB), of which the kernel
 * fills only dyn_size bytes, and the reader keeps only those. So only the
 * record's head (the fields up to the stack copy) and its tail (dyn_size
 * and the later fields) are read here; the used part of the stack stays
 * in the file until the sample is handed over (struct deferred), and the
 * unused part is never read. Where the record is not laid out as this
 * expects (another event's sample, fields longer than the head read), it
 * is read whole. Consumes the record.
 */
static int read_sparse(struct reader *r, struct source *s, size_t size)
{
	unsigned char *rec;
	const struct perf_event_header *h;
	uint64_t pos = s->pos, extra;
	size_t have, tail, off;
	struct perf_sample smp;
	int idx, ret = 0;
	const unsigned char *p;

	if (!r->sparse)	/* bytes not read are old bytes, never uninitialised */
		r->sparse = xcalloc(1, MAX_RECORD);
	rec = r->sparse;
	have = s->len - s->start;
	if (have > size - SPARSE_TAIL)
		have = size - SPARSE_TAIL;
	memcpy(rec, s->buf + s->start, have);
	tail = size - have < SPARSE_TAIL ? size - have : SPARSE_TAIL;
	src_seek(s, size - tail);
	p = src_peek(r, s, tail, &ret);
	if (!p) {
		if (ret)
			return ret;
		if (r->st->unfinished)
			return 0;
		return bad(r, "truncated record at offset %" PRIu64, pos);
	}
	memcpy(rec + size - tail, p, tail);
	src_skip(s, tail);

	h = (const void *)rec;
	idx = record_attr(r, h);
	if (r->keep >= 0 && idx == r->keep &&
	    !perf_sample_parse(&r->attrs[idx]->fmt, h, &smp) && smp.stack &&
	    (off = (size_t)(smp.stack - rec)) <= have &&
	    off + smp.stack_size >= size - tail) {
		const struct attr *a = r->attrs[idx];
		uint64_t keep = (smp.stack_dyn_size + 7) & ~7ULL;
		size_t after = size - off - (size_t)smp.stack_size;
		struct perf_event_header *copy;
		struct held *hd;
		size_t used;

		if (keep > smp.stack_size)
			keep = smp.stack_size;
		/*
		 * The trimmed record; the used stack bytes are copied when they
		 * were read with the head, else left in the file for now.
		 */
		used = off + keep <= have ? (size_t)keep : 0;
		hd = held_new(&a->fmt, off + used + after);
		copy = held_rec(hd);
		memcpy(copy, rec, off + used);
		memcpy((unsigned char *)copy + off - 8, &keep, 8);
		memcpy((unsigned char *)copy + off + used, rec + off + smp.stack_size, after);
		copy->size = (uint16_t)(off + used + after);
		hd->def.stack_at = pos + off;
		hd->def.stack_len = used ? 0 : (uint32_t)keep;
		r->st->deferred_stacks += !used;
		hd->def.split = (uint32_t)off;
		r->st->records++;
		r->st->trimmed_bytes += smp.stack_size - keep;
		/*
		 * One read takes this sample's tail and the next one's head:
		 * sized for a stack like this one, with some room.
		 */
		s->granule = SPARSE_TAIL + ((off + (size_t)keep + 1023) & ~(size_t)1023) + 1024;
		return queue(r, &a->fmt, h, hd,
			     !!(a->attr.sample_type & PERF_SAMPLE_TIME), smp.time);
	}
	if (have < size - tail &&
	    (ret = read_at(r, s->fd, pos + have, rec + have, size - tail - have)))
		return ret;
	return process_record(r, h, 0, &extra);
}

static int read_data(struct reader *r, struct source *s)
{
	int ret = 0;

	for (;;) {
		const unsigned char *p;
		size_t size = 0;
		uint64_t extra;

		p = src_peek(r, s, sizeof(struct perf_event_header), &ret);
		if (!p) {
			if (ret)
				return ret;
			if (s->end != UINT64_MAX && s->pos < s->end && !r->st->unfinished)
				return bad(r, "truncated file: data ends at offset %" PRIu64
					   ", %" PRIu64 " bytes before the end of its section",
					   s->pos, s->end - s->pos);
			if (s->len > s->start && !r->st->unfinished)
				return bad(r, "truncated record at the end");
			return 0;
		}
		if ((ret = record_size(r, p, &size)))
			return ret;
		if (s->seekable && size >= SPARSE_MIN && s->len - s->start < size &&
		    get_u32(p) == PERF_RECORD_SAMPLE) {
			if ((ret = read_sparse(r, s, size)))
				return ret;
			continue;
		}
		p = src_peek(r, s, size, &ret);
		if (!p) {
			if (ret)
				return ret;
			if (r->st->unfinished)
				return 0;
			return bad(r, "truncated record at offset %" PRIu64, s->pos);
		}
		ret = process_record(r, aligned(r, p, size, 0), 0, &extra);
		if (ret)
			return ret;
		src_skip(s, size);
		if (extra && (ret = src_skip_far(r, s, extra)))
			return ret;
	}
}

static void reader_release(struct reader *r)
{
	size_t i;

	for (i = 0; i < r->nattrs; i++) {
		free(r->attrs[i]->name);
		free(r->attrs[i]);
	}
	free(r->attrs);
	intmap_release(&r->ids);
	for (i = 0; i < r->ndesc; i++) {
		free(r->desc_names[i]);
		free(r->desc_ids[i]);
	}
	free(r->desc_names);
	free(r->desc_ids);
	free(r->desc_nids);
	ordered_release(&r->queue);
	if (r->zs)
		ZSTD_freeDStream(r->zs);
	free(r->zbuf);
	free(r->aligned[0]);
	free(r->aligned[1]);
	free(r->sparse);
	free(r->whole);
}

int perf_data_read_fd(int fd, const char *name, const struct perf_data_opts *o,
		      record_cb cb, void *ctx, struct perf_data_stats *st,
		      struct fg_buf *err)
{
	struct perf_data_stats local;
	struct reader r;
	struct source src;
	struct stat sb;
	unsigned char magic[16];
	uint64_t m;
	int ret, err2;
	const unsigned char *p;

	memset(&r, 0, sizeof(r));
	memset(&src, 0, sizeof(src));
	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	r.name = name;
	r.st = st;
	r.err = err;
	r.cb = cb;
	r.ctx = ctx;
	r.keep = -1;
	if (o)
		r.opts = *o;
	if (!r.opts.max_pending)
		r.opts.max_pending = DEFAULT_MAX_PENDING;
	ordered_init(&r.queue, r.opts.max_pending, deliver_held, &r);
	src.fd = fd;
	r.fd = fd;
	src.end = UINT64_MAX;
	if (fstat(fd, &sb))
		return io_error(&r, "stat");
	if (S_ISDIR(sb.st_mode))
		return unsupported(&r, "a directory-format perf.data (perf record --threads)");
	src.seekable = S_ISREG(sb.st_mode);
	r.file_size = (uint64_t)sb.st_size;
	src.size = BUF_SIZE;
	if (src.seekable && r.file_size < BUF_SIZE)
		src.size = r.file_size < MAX_RECORD ? MAX_RECORD : (size_t)r.file_size;
	src.buf = xmalloc(src.size);
	if (src.seekable)
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);

	p = src_peek(&r, &src, sizeof(magic), &err2);
	if (!p) {
		ret = err2 ? err2 : bad(&r, "not a perf.data file (too short)");
		goto out;
	}
	memcpy(magic, p, sizeof(magic));
	m = get_u64(magic);
	if (!memcmp(magic, "PERFFILE", 8)) {
		ret = unsupported(&r, "a version 1 perf.data (PERFFILE)");
		goto out;
	}
	if (m == PERF_MAGIC2_SWAPPED) {
		ret = unsupported(&r, "a perf.data of the other byte order");
		goto out;
	}
	if (m != PERF_MAGIC2) {
		ret = bad(&r, "not a perf.data file");
		goto out;
	}
	if (get_u64(magic + 8) == PIPE_HEADER_SIZE) {
		st->pipe_mode = 1;
		src_skip(&src, PIPE_HEADER_SIZE);
	} else if (!src.seekable) {
		ret = unsupported(&r, "a file-mode perf.data read from a pipe "
				  "(record with 'perf record -o -' to stream it)");
		goto out;
	} else {
		ret = read_file_header(&r, fd, &src);
		if (!ret)
			ret = choose_event(&r);
		if (ret)
			goto out;
		/* Start reading at the data section. */
		src.start = src.len = 0;
		src.eof = 0;
	}
	ret = read_data(&r, &src);
	if (!ret && r.zlen)
		ret = bad(&r, "truncated compressed records");
	if (!ret || ret == -FG_ERR_BAD_INPUT) {
		/* Hand over what is held, even before reporting damage. */
		int fret = flush(&r, UINT64_MAX);

		if (!ret)
			ret = fret;
	}
	if (!ret && r.has_aux && !st->samples)
		ret = unsupported(&r, "hardware trace data (AUX area, e.g. Intel PT) "
				  "that needs 'perf script --itrace'");
	if (!ret && r.keep < 0 && r.nattrs)
		ret = choose_event(&r);
out:
	st->pending_peak = r.queue.peak_bytes;
	st->out_of_order = r.queue.out_of_order;
	st->forced_flushes = r.queue.forced_flushes;
	reader_release(&r);
	free(src.buf);
	return ret;
}

int perf_data_read(const char *path, const struct perf_data_opts *o,
		   record_cb cb, void *ctx, struct perf_data_stats *st,
		   struct fg_buf *err)
{
	struct fg_buf why = FG_BUF_INIT;
	int fd, ret;

	if (!strcmp(path, "-"))
		return perf_data_read_fd(0, "standard input", o, cb, ctx, st, err);
	/* a directory or a FIFO is not a perf.data file: say so */
	fd = file_open_regular(path, &why);
	if (fd < 0) {
		int e = errno;
		char *inner = xstrfmt("%s/data", path);
		int perf_dir = e == EISDIR && !access(inner, F_OK);

		free(inner);
		if (st)
			memset(st, 0, sizeof(*st));
		if (perf_dir) {
			/* perf record --threads writes a directory: data, data.N */
			fg_buf_addstr(err, "a perf.data directory (perf record --threads)");
			fg_buf_release(&why);
			return -FG_ERR_UNSUPPORTED;
		}
		fg_buf_addf(err, "%s%s", why.buf,
			    e == EISDIR ? ", not a perf.data file" :
			    e == EINVAL ? " (perf.data must be a file, read with seeks)" : "");
		fg_buf_release(&why);
		fg_buf_release(&why);
		return -FG_ERR_IO;
	}
	ret = perf_data_read_fd(fd, path, o, cb, ctx, st, err);
	close(fd);
	return ret;
}
