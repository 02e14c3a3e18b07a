/*
 * pprof's profile.proto in and out of a struct profile (see pprof.h).
 *
 * The protobuf wire format, as much of it as profile.proto needs: a
 * message is a run of fields, each a key (field number << 3 | wire type)
 * as a varint and a value: a varint (wire type 0), 8 little-endian bytes
 * (1), a varint length and that many bytes (2: strings, nested messages,
 * packed repeated numbers) or 4 bytes (5). Varints are little-endian
 * groups of 7 bits, the high bit set on every byte but the last; int64
 * fields hold the two's complement, so negative numbers take 10 bytes.
 * Fields left out have their default (0, "", false), and a repeated number
 * may come packed (one length-delimited run) or one field per number.
 *
 * The writer builds the message in one buffer: nested messages small
 * enough to copy are built in a scratch buffer and appended with their
 * length; samples, most of the message, have their length computed first
 * and are written in place. Strings are interned into the string table
 * with a strmap (behind a map of the addresses seen), functions keyed by
 * their three string indexes. Mappings are written the main binary first,
 * as pprof's tools expect (main_mapping()).
 *
 * The reader walks the message once, keeping the position of each string
 * and sample and the raw fields of mappings, locations, lines and
 * functions (a profile often has its string table last, and samples
 * before the locations they name), then builds the profile from them,
 * ids resolved through hash maps. Every read is checked against the end
 * of the message it is in; nesting is fixed by the schema, so nothing
 * recurses.
 */
#include "pprof.h"
#include "../lib/error.h"
#include "../lib/intmap.h"
#include "../lib/strmap.h"

#include <libdeflate.h>

/*
 * libdeflate's fastest level, as Go's runtime writes its profiles: the
 * message is mostly small varints, which the higher levels shrink by a
 * few percent at twice the time.
 */
#define GZIP_LEVEL 1

enum wire_type {
	WT_VARINT = 0,
	WT_I64 = 1,
	WT_LEN = 2,
	WT_I32 = 5,
};

/* Field numbers of profile.proto (perftools.profiles). */
enum {
	F_PROFILE_SAMPLE_TYPE = 1,
	F_PROFILE_SAMPLE = 2,
	F_PROFILE_MAPPING = 3,
	F_PROFILE_LOCATION = 4,
	F_PROFILE_FUNCTION = 5,
	F_PROFILE_STRING_TABLE = 6,
	F_PROFILE_DROP_FRAMES = 7,
	F_PROFILE_KEEP_FRAMES = 8,
	F_PROFILE_TIME_NANOS = 9,
	F_PROFILE_DURATION_NANOS = 10,
	F_PROFILE_PERIOD_TYPE = 11,
	F_PROFILE_PERIOD = 12,
	F_PROFILE_COMMENT = 13,
	F_PROFILE_DEFAULT_SAMPLE_TYPE = 14,

	F_VALUE_TYPE_TYPE = 1,
	F_VALUE_TYPE_UNIT = 2,

	F_SAMPLE_LOCATION_ID = 1,
	F_SAMPLE_VALUE = 2,
	F_SAMPLE_LABEL = 3,

	F_LABEL_KEY = 1,
	F_LABEL_STR = 2,
	F_LABEL_NUM = 3,
	F_LABEL_NUM_UNIT = 4,

	F_MAPPING_ID = 1,
	F_MAPPING_MEMORY_START = 2,
	F_MAPPING_MEMORY_LIMIT = 3,
	F_MAPPING_FILE_OFFSET = 4,
	F_MAPPING_FILENAME = 5,
	F_MAPPING_BUILD_ID = 6,
	F_MAPPING_HAS_FUNCTIONS = 7,
	F_MAPPING_HAS_FILENAMES = 8,
	F_MAPPING_HAS_LINE_NUMBERS = 9,
	F_MAPPING_HAS_INLINE_FRAMES = 10,

	F_LOCATION_ID = 1,
	F_LOCATION_MAPPING_ID = 2,
	F_LOCATION_ADDRESS = 3,
	F_LOCATION_LINE = 4,
	F_LOCATION_IS_FOLDED = 5,

	F_LINE_FUNCTION_ID = 1,
	F_LINE_LINE = 2,

	F_FUNCTION_ID = 1,
	F_FUNCTION_NAME = 2,
	F_FUNCTION_SYSTEM_NAME = 3,
	F_FUNCTION_FILENAME = 4,
	F_FUNCTION_START_LINE = 5,
};

/* What a mapping's locations have (Mapping.has_*). */
enum {
	HAS_FUNCTIONS = 1,
	HAS_FILENAMES = 2,
	HAS_LINE_NUMBERS = 4,
	HAS_INLINE_FRAMES = 8,
};

/* ---- encoding ------------------------------------------------------- */

static inline size_t varint_size(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static inline void put_varint(struct fg_buf *b, uint64_t v)
{
	unsigned char *d;

	if (b->alloc < b->len + 11)
		fg_buf_grow(b, 10);
	d = (unsigned char *)b->buf + b->len;
	while (v >= 0x80) {
		*d++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*d++ = (unsigned char)v;
	b->len = (size_t)((char *)d - b->buf);
	b->buf[b->len] = '\0';
}

static inline void put_key(struct fg_buf *b, unsigned field, enum wire_type wt)
{
	put_varint(b, (uint64_t)field << 3 | wt);
}

/* A varint field, left out when 0 (its default). */
static inline void put_uint(struct fg_buf *b, unsigned field, uint64_t v)
{
	if (v) {
		put_key(b, field, WT_VARINT);
		put_varint(b, v);
	}
}

/* A length-delimited field: bytes, a string or a nested message. */
static void put_bytes(struct fg_buf *b, unsigned field, const void *data, size_t len)
{
	put_key(b, field, WT_LEN);
	put_varint(b, len);
	fg_buf_add(b, data, len);
}

/* An int64 field from an unsigned value, which stays positive. */
static inline uint64_t int64_clamp(uint64_t v)
{
	return v > INT64_MAX ? INT64_MAX : v;
}

struct writer {
	struct profile *p;
	struct fg_buf msg;		/* the message */
	struct fg_buf sub, line;	/* nested messages being built */
	struct strmap strings;		/* the string table: string -> index */
	struct intmap by_pointer;	/* a string's address -> its index */
	struct strmap functions;	/* three string indexes -> id - 1 */
	uint32_t *mapping_order;	/* mappings in the order written */
	uint32_t *mapping_id;		/* mapping index -> the id written */
};

/*
 * The index of the len bytes at s in the string table, added on first
 * use ("" is 0).
 */
static uint64_t str_index_bytes(struct writer *w, const char *s, size_t len)
{
	struct strmap_entry *e;
	int created;

	if (!len)
		return 0;
	e = strmap_put(&w->strings, s, len, &created);
	if (created)
		e->val = w->strings.nr - 1;
	return e->val;
}

/*
 * The index of s (NULL: "") in the string table, for strings that stay
 * where they are while the message is written (the profile's, literals).
 * The profile's strings are interned: most are found by their address,
 * and only the first sight of each address hashes its bytes.
 */
static uint64_t str_index(struct writer *w, const char *s)
{
	uint64_t *v, idx;

	if (!s || !*s)
		return 0;
	v = intmap_get(&w->by_pointer, (uintptr_t)s);
	if (v)
		return *v;
	idx = str_index_bytes(w, s, strlen(s));
	intmap_put(&w->by_pointer, (uintptr_t)s, idx);
	return idx;
}

/* The id of the function of line l, added on first use. */
static uint64_t function_id(struct writer *w, const struct profile_line *l)
{
	uint64_t key[4];
	struct strmap_entry *e;
	int created;

	key[0] = str_index(w, l->function);
	key[1] = l->system_name ? str_index(w, l->system_name) : key[0];
	key[2] = str_index(w, l->file);
	key[3] = l->start_line;
	e = strmap_put(&w->functions, (const char *)key, sizeof(key), &created);
	if (created)
		e->val = w->functions.nr - 1;
	return e->val + 1;
}

static void put_value_type(struct writer *w, unsigned field, const char *type,
			   const char *unit)
{
	fg_buf_reset(&w->sub);
	put_uint(&w->sub, F_VALUE_TYPE_TYPE, str_index(w, type));
	put_uint(&w->sub, F_VALUE_TYPE_UNIT, str_index(w, unit));
	put_bytes(&w->msg, field, w->sub.buf, w->sub.len);
}

/*
 * The labels of every thread, encoded once: thread t's are the
 * lens[t] bytes at labels->buf + offs[t].
 */
static void encode_thread_labels(struct writer *w, struct fg_buf *labels,
				 size_t *offs, size_t *lens)
{
	const struct profile *p = w->p;
	uint64_t pid = str_index(w, "pid"), tid = str_index(w, "tid");
	uint64_t thread = str_index(w, "thread");
	uint64_t run = p->nruns ? str_index(w, "run") : 0;
	size_t i;

	for (i = 0; i < p->nthreads; i++) {
		const struct profile_thread *t = &p->threads[i];

		offs[i] = labels->len;
		if (t->pid >= 0) {
			fg_buf_reset(&w->sub);
			put_uint(&w->sub, F_LABEL_KEY, pid);
			put_uint(&w->sub, F_LABEL_NUM, (uint64_t)t->pid);
			put_bytes(labels, F_SAMPLE_LABEL, w->sub.buf, w->sub.len);
		}
		if (t->tid >= 0) {
			fg_buf_reset(&w->sub);
			put_uint(&w->sub, F_LABEL_KEY, tid);
			put_uint(&w->sub, F_LABEL_NUM, (uint64_t)t->tid);
			put_bytes(labels, F_SAMPLE_LABEL, w->sub.buf, w->sub.len);
		}
		/* --repeat: which run it is of, a number go tool pprof can -tagfocus */
		if (t->run) {
			fg_buf_reset(&w->sub);
			put_uint(&w->sub, F_LABEL_KEY, run);
			put_uint(&w->sub, F_LABEL_NUM, t->run);
			put_bytes(labels, F_SAMPLE_LABEL, w->sub.buf, w->sub.len);
		}
		/* always there, even empty: it says that the sample has a thread */
		fg_buf_reset(&w->sub);
		put_uint(&w->sub, F_LABEL_KEY, thread);
		put_uint(&w->sub, F_LABEL_STR, str_index(w, t->name));
		put_bytes(labels, F_SAMPLE_LABEL, w->sub.buf, w->sub.len);
		lens[i] = labels->len - offs[i];
	}
}

static void write_samples(struct writer *w)
{
	const struct profile *p = w->p;
	struct fg_buf labels = FG_BUF_INIT;
	size_t *offs = xcalloc(p->nthreads + 1, sizeof(*offs));
	size_t *lens = xcalloc(p->nthreads + 1, sizeof(*lens));
	size_t i, j;

	encode_thread_labels(w, &labels, offs, lens);
	for (i = 0; i < p->nsamples; i++) {
		const struct profile_sample *s = &p->samples[i];
		const uint64_t *v = profile_values(p, i);
		size_t n, ids_size = 0, values_size = 0, size = 0;
		const uint32_t *ids = profile_stack_ids(p, s->stack, &n);
		size_t lab_off = s->thread ? offs[s->thread - 1] : 0;
		size_t lab_len = s->thread ? lens[s->thread - 1] : 0;

		for (j = 0; j < n; j++)
			ids_size += varint_size((uint64_t)ids[j] + 1);
		for (j = 0; j < p->ntypes; j++)
			values_size += varint_size(int64_clamp(v[j]));
		if (n)
			size += 1 + varint_size(ids_size) + ids_size;
		size += 1 + varint_size(values_size) + values_size + lab_len;

		/* written in place: the length is known */
		put_key(&w->msg, F_PROFILE_SAMPLE, WT_LEN);
		put_varint(&w->msg, size);
		if (n) {
			put_key(&w->msg, F_SAMPLE_LOCATION_ID, WT_LEN);
			put_varint(&w->msg, ids_size);
			for (j = n; j-- > 0;)	/* the leaf first */
				put_varint(&w->msg, (uint64_t)ids[j] + 1);
		}
		put_key(&w->msg, F_SAMPLE_VALUE, WT_LEN);
		put_varint(&w->msg, values_size);
		for (j = 0; j < p->ntypes; j++)
			put_varint(&w->msg, int64_clamp(v[j]));
		fg_buf_add(&w->msg, labels.buf + lab_off, lab_len);
	}
	fg_buf_release(&labels);
	free(offs);
	free(lens);
}

/* What the locations of each mapping have (HAS_*), by mapping id. */
static unsigned char *mapping_flags(const struct profile *p)
{
	unsigned char *flags = xcalloc(p->nmappings + 1, 1);
	size_t i, k;

	for (i = 0; i < p->nlocations; i++) {
		const struct profile_location *l = &p->locations[i];
		unsigned char f = 0;

		if (!l->mapping)
			continue;
		for (k = 0; k < l->nlines; k++) {
			const struct profile_line *line = &p->lines[l->first_line + k];

			if (*line->function)
				f |= HAS_FUNCTIONS;
			if (line->file && *line->file)
				f |= HAS_FILENAMES;
			if (line->line)
				f |= HAS_LINE_NUMBERS;
		}
		if (l->nlines > 1)
			f |= HAS_INLINE_FRAMES;
		flags[l->mapping - 1] |= f;
	}
	return flags;
}

/*
 * The kernel keeps the first 15 bytes of the file name a process execs as
 * its name (comm: TASK_COMM_LEN is 16, with the NUL), which is what its
 * threads are called unless they rename themselves.
 */
#define COMM_MAX 15

/* The length of a mapping's file name without the kernel's " (deleted)". */
static size_t base_len(const char *base)
{
	static const char deleted[] = " (deleted)";
	size_t n = strlen(base);

	if (n > sizeof(deleted) - 1 && ends_with(base, deleted))
		n -= sizeof(deleted) - 1;
	return n;
}

/*
 * Could mapping m be a program's executable: a file (not the kernel, nor
 * "[vdso]" and the like, nor perf's "//anon"), of any name (lib_too) or
 * of one that is not a shared library's ("libc.so.6", "libx.so")?
 */
static int could_be_main(const struct profile_mapping *m, int lib_too)
{
	const char *s, *end;

	if (m->kernel || !*m->base || m->path[0] == '[' || starts_with(m->path, "//"))
		return 0;
	if (lib_too)
		return 1;
	end = m->base + base_len(m->base);
	for (s = strstr(m->base, ".so"); s && s + 3 <= end; s = strstr(s + 3, ".so"))
		if (s + 3 == end || s[3] == '.')
			return 0;
	return 1;
}

/*
 * The index of the mapping to write first. pprof's tools take the first
 * mapping for the profile's main binary: go tool pprof names it in its
 * reports ("File: NAME", "Build ID: ..."), and merging profiles keeps it
 * first. A recording's mappings come in the order their code was first
 * named, so the kernel or a library may come first; and the profile does
 * not say which file a process ran. What tells it is the threads' names:
 * a process is named after the file it execs. So the main binary is the
 * file a thread is named after, for the first thread (in the order of
 * their first samples) that is named after one; else, when the first
 * mapping is the kernel, a pseudo-file or a shared library, the first file
 * that is none of these (a script's interpreter, whose threads are named
 * after the script); else the first mapping, as readers of other
 * profiles expect.
 */
static size_t main_mapping(const struct profile *p)
{
	struct strmap names;
	size_t i, best = 0, best_thread = SIZE_MAX;

	if (p->nmappings < 2)
		return 0;
	/* each name short enough to be a comm, to its first thread */
	strmap_init(&names);
	for (i = 0; i < p->nthreads; i++) {
		const char *name = p->threads[i].name;
		size_t n = name ? strlen(name) : 0;
		struct strmap_entry *e;
		int created;

		if (!n || n > COMM_MAX)
			continue;
		e = strmap_put(&names, name, n, &created);
		if (created)
			e->val = i;
	}
	for (i = 0; i < p->nmappings && names.nr; i++) {
		const struct profile_mapping *m = &p->mappings[i];
		size_t n = base_len(m->base);
		struct strmap_entry *e;

		if (!could_be_main(m, 1))
			continue;
		e = strmap_get(&names, m->base, n < COMM_MAX ? n : COMM_MAX);
		if (e && e->val < best_thread) {
			best = i;
			best_thread = e->val;
		}
	}
	strmap_release(&names);
	if (best_thread != SIZE_MAX || could_be_main(&p->mappings[0], 0))
		return best;
	for (i = 1; i < p->nmappings; i++)
		if (could_be_main(&p->mappings[i], 0))
			return i;
	return 0;
}

/*
 * The order mappings are written in: the main binary first (ids are
 * positions, so it gets id 1), the others as they come.
 */
static void order_mappings(struct writer *w)
{
	const struct profile *p = w->p;
	size_t first = main_mapping(p), i, k = 0;

	w->mapping_order = xcalloc(p->nmappings + 1, sizeof(*w->mapping_order));
	w->mapping_id = xcalloc(p->nmappings + 1, sizeof(*w->mapping_id));
	if (p->nmappings)
		w->mapping_order[k++] = (uint32_t)first;
	for (i = 0; i < p->nmappings; i++)
		if (i != first)
			w->mapping_order[k++] = (uint32_t)i;
	for (i = 0; i < p->nmappings; i++)
		w->mapping_id[w->mapping_order[i]] = (uint32_t)i + 1;
}

static void write_mappings(struct writer *w)
{
	static const char hex[] = "0123456789abcdef";
	const struct profile *p = w->p;
	unsigned char *flags = mapping_flags(p);
	size_t i;
	int k;

	for (i = 0; i < p->nmappings; i++) {
		uint32_t at = w->mapping_order[i];
		const struct profile_mapping *m = &p->mappings[at];
		char build_id[2 * sizeof(m->build_id)];

		for (k = 0; k < m->build_id_len; k++) {
			build_id[2 * k] = hex[m->build_id[k] >> 4];
			build_id[2 * k + 1] = hex[m->build_id[k] & 15];
		}
		fg_buf_reset(&w->sub);
		put_uint(&w->sub, F_MAPPING_ID, i + 1);
		put_uint(&w->sub, F_MAPPING_MEMORY_START, m->start);
		put_uint(&w->sub, F_MAPPING_MEMORY_LIMIT, m->limit);
		put_uint(&w->sub, F_MAPPING_FILE_OFFSET, m->offset);
		put_uint(&w->sub, F_MAPPING_FILENAME, str_index(w, m->path));
		/* not str_index(): the buffer is the same for every mapping */
		put_uint(&w->sub, F_MAPPING_BUILD_ID,
			 str_index_bytes(w, build_id, 2 * (size_t)k));
		put_uint(&w->sub, F_MAPPING_HAS_FUNCTIONS, !!(flags[at] & HAS_FUNCTIONS));
		put_uint(&w->sub, F_MAPPING_HAS_FILENAMES, !!(flags[at] & HAS_FILENAMES));
		put_uint(&w->sub, F_MAPPING_HAS_LINE_NUMBERS,
			 !!(flags[at] & HAS_LINE_NUMBERS));
		put_uint(&w->sub, F_MAPPING_HAS_INLINE_FRAMES,
			 !!(flags[at] & HAS_INLINE_FRAMES));
		put_bytes(&w->msg, F_PROFILE_MAPPING, w->sub.buf, w->sub.len);
	}
	free(flags);
}

static void write_locations(struct writer *w)
{
	const struct profile *p = w->p;
	size_t i, k;

	for (i = 0; i < p->nlocations; i++) {
		const struct profile_location *l = &p->locations[i];

		fg_buf_reset(&w->sub);
		put_uint(&w->sub, F_LOCATION_ID, i + 1);
		put_uint(&w->sub, F_LOCATION_MAPPING_ID,
			 l->mapping ? w->mapping_id[l->mapping - 1] : 0);
		put_uint(&w->sub, F_LOCATION_ADDRESS, l->address);
		for (k = 0; k < l->nlines; k++) {
			const struct profile_line *line = &p->lines[l->first_line + k];

			fg_buf_reset(&w->line);
			put_uint(&w->line, F_LINE_FUNCTION_ID, function_id(w, line));
			put_uint(&w->line, F_LINE_LINE, line->line);
			put_bytes(&w->sub, F_LOCATION_LINE, w->line.buf, w->line.len);
		}
		put_bytes(&w->msg, F_PROFILE_LOCATION, w->sub.buf, w->sub.len);
	}
}

static void write_functions(struct writer *w)
{
	size_t i;

	for (i = 0; i < w->functions.nr; i++) {
		uint64_t key[4];

		memcpy(key, w->functions.v[i].key, sizeof(key));
		fg_buf_reset(&w->sub);
		put_uint(&w->sub, F_FUNCTION_ID, i + 1);
		put_uint(&w->sub, F_FUNCTION_NAME, key[0]);
		put_uint(&w->sub, F_FUNCTION_SYSTEM_NAME, key[1]);
		put_uint(&w->sub, F_FUNCTION_FILENAME, key[2]);
		put_uint(&w->sub, F_FUNCTION_START_LINE, key[3]);
		put_bytes(&w->msg, F_PROFILE_FUNCTION, w->sub.buf, w->sub.len);
	}
}

/* The (cpu, nanoseconds) sample type of a cpu-clock recording? */
static int has_cpu_time(const struct profile *p)
{
	size_t i;

	for (i = 0; i < p->ntypes; i++)
		if (!strcmp(p->types[i].type, "cpu") &&
		    !strcmp(p->types[i].unit, "nanoseconds"))
			return 1;
	return 0;
}

/* The message of p into w->msg. */
static void encode(struct writer *w)
{
	struct profile *p = w->p;
	const struct profile_meta *m = &p->meta;
	uint64_t comment = 0, default_type = 0, period = 0;
	const char *period_type = NULL, *period_unit = NULL;
	size_t i;
	int created;

	strmap_put(&w->strings, "", 0, &created);	/* string_table[0] is "" */

	/*
	 * Every string is in the table before it is written: those of the
	 * fields after it too.
	 */
	if (has_cpu_time(p)) {
		period_type = "cpu";
		period_unit = "nanoseconds";
		/* a period read from a profile is exact, 1e9 / frequency may not be */
		period = m->period ? m->period :
			 m->frequency ? 1000000000 / m->frequency : 0;
	} else if (m->event) {
		period_type = m->event;
		period_unit = "count";
		period = m->period;
	}
	if (period_type) {
		str_index(w, period_type);
		str_index(w, period_unit);
	}
	if (m->command)
		comment = str_index(w, m->command);
	if (m->default_type)
		default_type = str_index(w, m->default_type);

	for (i = 0; i < p->ntypes; i++)
		put_value_type(w, F_PROFILE_SAMPLE_TYPE, p->types[i].type, p->types[i].unit);
	write_samples(w);
	write_mappings(w);
	write_locations(w);
	write_functions(w);
	for (i = 0; i < w->strings.nr; i++)
		put_bytes(&w->msg, F_PROFILE_STRING_TABLE, w->strings.v[i].key,
			  w->strings.v[i].klen);
	put_uint(&w->msg, F_PROFILE_TIME_NANOS, int64_clamp(m->start_ns));
	put_uint(&w->msg, F_PROFILE_DURATION_NANOS, int64_clamp(m->duration_ns));
	if (period_type)
		put_value_type(w, F_PROFILE_PERIOD_TYPE, period_type, period_unit);
	put_uint(&w->msg, F_PROFILE_PERIOD, int64_clamp(period));
	put_uint(&w->msg, F_PROFILE_COMMENT, comment);
	put_uint(&w->msg, F_PROFILE_DEFAULT_SAMPLE_TYPE, default_type);
}

/* Has p a text stack without its location ids yet? */
static int has_unresolved_text(const struct profile *p)
{
	size_t i;

	for (i = 0; i < p->nstacks; i++)
		if (p->stacks[i].text && !p->stacks[i].n)
			return 1;
	return 0;
}

int pprof_write(struct profile *p, struct fg_buf *out, struct fg_buf *err)
{
	struct writer w = { .p = p };
	struct libdeflate_compressor *c;
	size_t bound, n;

	if (has_unresolved_text(p))
		profile_resolve_text(p);
	fg_buf_init(&w.msg, 4096);
	fg_buf_init(&w.sub, 256);
	fg_buf_init(&w.line, 64);
	strmap_init(&w.strings);
	strmap_init(&w.functions);
	order_mappings(&w);
	encode(&w);
	free(w.mapping_order);
	free(w.mapping_id);
	strmap_release(&w.strings);
	intmap_release(&w.by_pointer);
	strmap_release(&w.functions);
	fg_buf_release(&w.sub);
	fg_buf_release(&w.line);

	c = libdeflate_alloc_compressor(GZIP_LEVEL);
	if (!c) {
		if (err)
			fg_buf_addstr(err, "pprof: cannot allocate a gzip compressor");
		fg_buf_release(&w.msg);
		return -FG_ERR_NO_MEMORY;
	}
	bound = libdeflate_gzip_compress_bound(c, w.msg.len);
	fg_buf_grow(out, bound);
	n = libdeflate_gzip_compress(c, w.msg.buf, w.msg.len, out->buf + out->len, bound);
	if (n)
		fg_buf_setlen(out, out->len + n);
	else
		BUG("pprof: %zu bytes do not compress into their bound", w.msg.len);
	libdeflate_free_compressor(c);
	fg_buf_release(&w.msg);
	return 0;
}

/* ---- decoding ------------------------------------------------------- */

/* The bytes [pos, end) of the message: a message, or what is left of one. */
struct cur {
	size_t pos, end;
};

/* A field as read: its number, wire type, value, and where its key is. */
struct field {
	uint64_t num;
	enum wire_type wt;
	uint64_t v;		/* a varint or fixed value */
	struct cur sub;		/* a length-delimited value */
	size_t at;
};

struct span {
	size_t off, len;
};

/* A ValueType: indexes into the string table. */
struct rd_type {
	uint64_t type, unit;
	size_t at;
};

struct rd_mapping {
	uint64_t id, start, limit, offset, filename, build_id;
	unsigned flags;		/* HAS_* */
	size_t at;
};

struct rd_line {
	uint64_t function_id;
	int64_t line;
};

struct rd_location {
	uint64_t id, mapping_id, address;
	size_t first_line, nlines;	/* in the reader's lines */
	size_t at;
};

struct rd_function {
	uint64_t id, name, system_name, filename, start_line;
	size_t at;
};

/*
 * Ids to indexes: an intmap, and on the side the one id it cannot hold
 * (UINT64_MAX, its empty-slot key).
 */
struct idmap {
	struct intmap map;
	int has_max;
	uint64_t max_val;
};

struct reader {
	const unsigned char *msg;
	size_t len;
	struct profile *p;
	struct fg_buf *err;

	struct span *strings;
	size_t nstrings, strings_alloc;
	const char **interned;		/* string i in the profile, made when used */
	struct rd_type *types;
	size_t ntypes, types_alloc;
	struct rd_mapping *mappings;
	size_t nmappings, mappings_alloc;
	struct rd_location *locations;
	size_t nlocations, locations_alloc;
	struct rd_line *lines;
	size_t nlines, lines_alloc;
	struct rd_function *functions;
	size_t nfunctions, functions_alloc;
	struct span *samples;
	size_t nsamples, samples_alloc;

	struct rd_type period_type;
	int has_period_type, has_comment;
	uint64_t time_nanos, duration_nanos, period, default_type, comment;
	size_t period_type_at, default_type_at, comment_at;

	struct idmap mapping_ids, location_ids, function_ids;

	/* one sample's fields, reused */
	uint64_t *ids, *values;
	size_t nids, ids_alloc, nvalues, values_alloc;
	uint32_t *stack;
	size_t stack_alloc;
	uint32_t default_thread;	/* id + 1 of the thread of unlabelled samples */
};

FG_PRINTF(4, 5)
static int fail_code(struct reader *r, int code, size_t at, const char *fmt, ...)
{
	va_list ap;

	if (!r->err)
		return code;
	fg_buf_addstr(r->err, "pprof: ");
	va_start(ap, fmt);
	fg_buf_vaddf(r->err, fmt, ap);
	va_end(ap);
	fg_buf_addf(r->err, " at byte %zu", at);
	return code;
}

/* Damage at byte at of the message. */
#define bad(r, at, ...) fail_code((r), -FG_ERR_BAD_INPUT, (at), __VA_ARGS__)

static int idmap_add(struct idmap *m, uint64_t id, uint64_t idx)
{
	if (id == UINT64_MAX) {
		if (m->has_max)
			return -1;
		m->has_max = 1;
		m->max_val = idx;
		return 0;
	}
	if (intmap_get(&m->map, id))
		return -1;
	intmap_put(&m->map, id, idx);
	return 0;
}

/* The index of id, or -1. */
static int64_t idmap_get(const struct idmap *m, uint64_t id)
{
	const uint64_t *v;

	if (id == UINT64_MAX)
		return m->has_max ? (int64_t)m->max_val : -1;
	v = intmap_get(&m->map, id);
	return v ? (int64_t)*v : -1;
}

static int get_varint(struct reader *r, struct cur *c, uint64_t *v)
{
	const unsigned char *s = r->msg;
	size_t at = c->pos;
	uint64_t x = 0;
	unsigned shift;

	for (shift = 0; shift < 64; shift += 7) {
		unsigned b;

		if (c->pos >= c->end)
			return bad(r, at, "truncated varint");
		b = s[c->pos++];
		if (shift == 63 && b > 1)
			return bad(r, at, "varint longer than 64 bits");
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return 0;
		}
	}
	BUG("pprof: varint loop");
}

/* The next field of c into f: 1, 0 at the end of c, or an error. */
static int next_field(struct reader *r, struct cur *c, struct field *f)
{
	uint64_t key, len;
	size_t i, n;
	int ret;

	if (c->pos >= c->end)
		return 0;
	f->at = c->pos;
	ret = get_varint(r, c, &key);
	if (ret)
		return ret;
	f->num = key >> 3;
	f->wt = (enum wire_type)(key & 7);
	if (!f->num || f->num > 0x1fffffff)
		return bad(r, f->at, "bad field number %" PRIu64, f->num);
	switch (f->wt) {
	case WT_VARINT:
		return get_varint(r, c, &f->v) ? -FG_ERR_BAD_INPUT : 1;
	case WT_I64:
	case WT_I32:
		n = f->wt == WT_I64 ? 8 : 4;
		if (c->end - c->pos < n)
			return bad(r, c->pos, "truncated %zu-byte field %" PRIu64, n, f->num);
		f->v = 0;
		for (i = 0; i < n; i++)
			f->v |= (uint64_t)r->msg[c->pos + i] << (8 * i);
		c->pos += n;
		return 1;
	case WT_LEN:
		i = c->pos;
		ret = get_varint(r, c, &len);
		if (ret)
			return ret;
		if (len > c->end - c->pos)
			return bad(r, i, "length %" PRIu64 " of field %" PRIu64
				   " runs past the end of its message (%zu bytes left)",
				   len, f->num, c->end - c->pos);
		f->sub.pos = c->pos;
		f->sub.end = c->pos + (size_t)len;
		c->pos = f->sub.end;
		return 1;
	default:
		return bad(r, f->at, "unsupported wire type %d of field %" PRIu64,
			   (int)f->wt, f->num);
	}
}

/* Does f have wire type wt (of message what)? */
static int want(struct reader *r, const struct field *f, enum wire_type wt,
		const char *what)
{
	if (f->wt == wt)
		return 0;
	return bad(r, f->at, "%s field %" PRIu64 " has wire type %d, not %d", what,
		   f->num, (int)f->wt, (int)wt);
}

/* A varint field of message what into *v. */
static int get_uint(struct reader *r, const struct field *f, const char *what,
		    uint64_t *v)
{
	int ret = want(r, f, WT_VARINT, what);

	if (!ret)
		*v = f->v;
	return ret;
}

/* A repeated varint field, packed or not, appended to (*v)[*n]. */
static int get_repeated(struct reader *r, struct field *f, const char *what,
			uint64_t **v, size_t *n, size_t *alloc)
{
	int ret;

	if (f->wt == WT_VARINT) {
		ALLOC_GROW(*v, *n + 1, *alloc);
		(*v)[(*n)++] = f->v;
		return 0;
	}
	ret = want(r, f, WT_LEN, what);
	while (!ret && f->sub.pos < f->sub.end) {
		ALLOC_GROW(*v, *n + 1, *alloc);
		ret = get_varint(r, &f->sub, &(*v)[*n]);
		if (!ret)
			(*n)++;
	}
	return ret;
}

/* A ValueType message at c. */
static int read_value_type(struct reader *r, struct cur c, struct rd_type *t)
{
	struct field f;
	int ret;

	t->type = t->unit = 0;
	t->at = c.pos;
	while ((ret = next_field(r, &c, &f)) > 0) {
		if (f.num == F_VALUE_TYPE_TYPE)
			ret = get_uint(r, &f, "ValueType", &t->type);
		else if (f.num == F_VALUE_TYPE_UNIT)
			ret = get_uint(r, &f, "ValueType", &t->unit);
		if (ret < 0)
			return ret;
	}
	return ret;
}

static int read_mapping(struct reader *r, struct cur c)
{
	struct rd_mapping *m;
	struct field f;
	uint64_t b = 0;
	int ret;

	ALLOC_GROW(r->mappings, r->nmappings + 1, r->mappings_alloc);
	m = &r->mappings[r->nmappings++];
	memset(m, 0, sizeof(*m));
	m->at = c.pos;
	while ((ret = next_field(r, &c, &f)) > 0) {
		switch (f.num) {
		case F_MAPPING_ID:
			ret = get_uint(r, &f, "Mapping", &m->id);
			break;
		case F_MAPPING_MEMORY_START:
			ret = get_uint(r, &f, "Mapping", &m->start);
			break;
		case F_MAPPING_MEMORY_LIMIT:
			ret = get_uint(r, &f, "Mapping", &m->limit);
			break;
		case F_MAPPING_FILE_OFFSET:
			ret = get_uint(r, &f, "Mapping", &m->offset);
			break;
		case F_MAPPING_FILENAME:
			ret = get_uint(r, &f, "Mapping", &m->filename);
			break;
		case F_MAPPING_BUILD_ID:
			ret = get_uint(r, &f, "Mapping", &m->build_id);
			break;
		case F_MAPPING_HAS_FUNCTIONS:
		case F_MAPPING_HAS_FILENAMES:
		case F_MAPPING_HAS_LINE_NUMBERS:
		case F_MAPPING_HAS_INLINE_FRAMES:
			ret = get_uint(r, &f, "Mapping", &b);
			if (!ret && b)
				m->flags |= 1u << (f.num - F_MAPPING_HAS_FUNCTIONS);
			else if (!ret)
				m->flags &= ~(1u << (f.num - F_MAPPING_HAS_FUNCTIONS));
			break;
		default:
			break;
		}
		if (ret < 0)
			return ret;
	}
	return ret;
}

static int read_line(struct reader *r, struct cur c)
{
	struct rd_line *l;
	struct field f;
	uint64_t v = 0;
	int ret;

	ALLOC_GROW(r->lines, r->nlines + 1, r->lines_alloc);
	l = &r->lines[r->nlines++];
	memset(l, 0, sizeof(*l));
	while ((ret = next_field(r, &c, &f)) > 0) {
		if (f.num == F_LINE_FUNCTION_ID) {
			ret = get_uint(r, &f, "Line", &l->function_id);
		} else if (f.num == F_LINE_LINE) {
			ret = get_uint(r, &f, "Line", &v);
			l->line = (int64_t)v;
		}
		if (ret < 0)
			return ret;
	}
	return ret;
}

static int read_location(struct reader *r, struct cur c)
{
	struct rd_location *l;
	struct field f;
	size_t idx = r->nlocations;
	int ret;

	ALLOC_GROW(r->locations, r->nlocations + 1, r->locations_alloc);
	l = &r->locations[r->nlocations++];
	memset(l, 0, sizeof(*l));
	l->at = c.pos;
	l->first_line = r->nlines;
	while ((ret = next_field(r, &c, &f)) > 0) {
		l = &r->locations[idx];
		switch (f.num) {
		case F_LOCATION_ID:
			ret = get_uint(r, &f, "Location", &l->id);
			break;
		case F_LOCATION_MAPPING_ID:
			ret = get_uint(r, &f, "Location", &l->mapping_id);
			break;
		case F_LOCATION_ADDRESS:
			ret = get_uint(r, &f, "Location", &l->address);
			break;
		case F_LOCATION_LINE:
			ret = want(r, &f, WT_LEN, "Location");
			if (!ret)
				ret = read_line(r, f.sub);
			break;
		default:
			break;
		}
		if (ret < 0)
			return ret;
	}
	/* lines are appended in order: the location's are the last ones */
	r->locations[idx].nlines = r->nlines - r->locations[idx].first_line;
	return ret;
}

static int read_function(struct reader *r, struct cur c)
{
	struct rd_function *fn;
	struct field f;
	int ret;

	ALLOC_GROW(r->functions, r->nfunctions + 1, r->functions_alloc);
	fn = &r->functions[r->nfunctions++];
	memset(fn, 0, sizeof(*fn));
	fn->at = c.pos;
	while ((ret = next_field(r, &c, &f)) > 0) {
		switch (f.num) {
		case F_FUNCTION_ID:
			ret = get_uint(r, &f, "Function", &fn->id);
			break;
		case F_FUNCTION_NAME:
			ret = get_uint(r, &f, "Function", &fn->name);
			break;
		case F_FUNCTION_SYSTEM_NAME:
			ret = get_uint(r, &f, "Function", &fn->system_name);
			break;
		case F_FUNCTION_FILENAME:
			ret = get_uint(r, &f, "Function", &fn->filename);
			break;
		case F_FUNCTION_START_LINE:
			ret = get_uint(r, &f, "Function", &fn->start_line);
			break;
		default:
			break;
		}
		if (ret < 0)
			return ret;
	}
	return ret;
}

/* The first pass: the Profile message's fields, kept raw. */
static int read_profile(struct reader *r)
{
	struct cur c = { 0, r->len };
	struct field f;
	uint64_t *comments = NULL;
	size_t ncomments = 0, comments_alloc = 0;
	int ret;

	while ((ret = next_field(r, &c, &f)) > 0) {
		switch (f.num) {
		case F_PROFILE_SAMPLE_TYPE:
			ret = want(r, &f, WT_LEN, "Profile");
			if (!ret) {
				ALLOC_GROW(r->types, r->ntypes + 1, r->types_alloc);
				ret = read_value_type(r, f.sub, &r->types[r->ntypes++]);
			}
			break;
		case F_PROFILE_SAMPLE:
			ret = want(r, &f, WT_LEN, "Profile");
			if (!ret) {
				ALLOC_GROW(r->samples, r->nsamples + 1, r->samples_alloc);
				r->samples[r->nsamples].off = f.sub.pos;
				r->samples[r->nsamples++].len = f.sub.end - f.sub.pos;
			}
			break;
		case F_PROFILE_MAPPING:
			ret = want(r, &f, WT_LEN, "Profile");
			if (!ret)
				ret = read_mapping(r, f.sub);
			break;
		case F_PROFILE_LOCATION:
			ret = want(r, &f, WT_LEN, "Profile");
			if (!ret)
				ret = read_location(r, f.sub);
			break;
		case F_PROFILE_FUNCTION:
			ret = want(r, &f, WT_LEN, "Profile");
			if (!ret)
				ret = read_function(r, f.sub);
			break;
		case F_PROFILE_STRING_TABLE:
			ret = want(r, &f, WT_LEN, "Profile");
			if (!ret) {
				ALLOC_GROW(r->strings, r->nstrings + 1, r->strings_alloc);
				r->strings[r->nstrings].off = f.sub.pos;
				r->strings[r->nstrings++].len = f.sub.end - f.sub.pos;
			}
			break;
		case F_PROFILE_TIME_NANOS:
			ret = get_uint(r, &f, "Profile", &r->time_nanos);
			break;
		case F_PROFILE_DURATION_NANOS:
			ret = get_uint(r, &f, "Profile", &r->duration_nanos);
			break;
		case F_PROFILE_PERIOD_TYPE:
			ret = want(r, &f, WT_LEN, "Profile");
			if (!ret) {
				r->has_period_type = 1;
				ret = read_value_type(r, f.sub, &r->period_type);
			}
			break;
		case F_PROFILE_PERIOD:
			ret = get_uint(r, &f, "Profile", &r->period);
			break;
		case F_PROFILE_COMMENT:
			ncomments = 0;
			ret = get_repeated(r, &f, "Profile", &comments, &ncomments,
					   &comments_alloc);
			if (!ret && ncomments && !r->has_comment) {
				r->has_comment = 1;
				r->comment = comments[0];
				r->comment_at = f.at;
			}
			break;
		case F_PROFILE_DEFAULT_SAMPLE_TYPE:
			r->default_type_at = f.at;
			ret = get_uint(r, &f, "Profile", &r->default_type);
			break;
		default:
			/* drop_frames, keep_frames and fields of later versions */
			break;
		}
		if (ret < 0)
			break;
	}
	free(comments);
	return ret;
}

/* Is string index idx in the table (what: whose it is, for the message)? */
static int check_string(struct reader *r, uint64_t idx, size_t at, const char *what)
{
	size_t n = r->nstrings ? r->nstrings : 1;	/* 0 is "" even in no table */

	if (idx < n)
		return 0;
	return bad(r, at, "string index %" PRId64 " of %s out of range (%zu strings)",
		   (int64_t)idx, what, r->nstrings);
}

/* String idx (checked) as the profile keeps it. */
static const char *string_at(struct reader *r, uint64_t idx)
{
	const struct span *s;

	if (!r->nstrings)
		return "";
	if (!r->interned[idx]) {
		s = &r->strings[idx];
		r->interned[idx] = profile_string(r->p, (const char *)r->msg + s->off, s->len);
	}
	return r->interned[idx];
}

/* String idx (checked) of the message itself, and its length. */
static const char *string_bytes(const struct reader *r, uint64_t idx, size_t *len)
{
	if (!r->nstrings) {
		*len = 0;
		return "";
	}
	*len = r->strings[idx].len;
	return (const char *)r->msg + r->strings[idx].off;
}

static int string_is(const struct reader *r, uint64_t idx, const char *s)
{
	size_t len;
	const char *b = string_bytes(r, idx, &len);

	return len == strlen(s) && !memcmp(b, s, len);
}

/* profile_init() with the file's sample types. */
static int init_profile(struct reader *r)
{
	struct profile_value_type types[PROFILE_MAX_TYPES];
	char *copies[2 * PROFILE_MAX_TYPES];
	size_t i, len;
	const char *s;
	int ret;

	if (!r->ntypes)
		return fail_code(r, -FG_ERR_BAD_INPUT, 0, "the profile has no sample types");
	if (r->ntypes > PROFILE_MAX_TYPES)
		return fail_code(r, -FG_ERR_UNSUPPORTED, r->types[PROFILE_MAX_TYPES].at,
				 "%zu sample types, more than the %d this program keeps",
				 r->ntypes, PROFILE_MAX_TYPES);
	for (i = 0; i < r->ntypes; i++) {
		ret = check_string(r, r->types[i].type, r->types[i].at, "a sample type");
		if (!ret)
			ret = check_string(r, r->types[i].unit, r->types[i].at, "a sample type");
		if (ret)
			return ret;
	}
	/* the strings are not NUL-terminated in the message */
	for (i = 0; i < r->ntypes; i++) {
		s = string_bytes(r, r->types[i].type, &len);
		copies[2 * i] = xmemdupz(s, len);
		s = string_bytes(r, r->types[i].unit, &len);
		copies[2 * i + 1] = xmemdupz(s, len);
		types[i].type = copies[2 * i];
		types[i].unit = copies[2 * i + 1];
	}
	profile_init(r->p, types, r->ntypes);
	for (i = 0; i < 2 * r->ntypes; i++)
		free(copies[i]);
	return 0;
}

/* A build-id string as bytes, when it is hex of 1 to 20 bytes; else 0. */
static int build_id_bytes(const char *s, size_t len, unsigned char *out)
{
	size_t i;

	if (!len || len % 2 || len > 2 * 20)
		return 0;
	for (i = 0; i < len; i += 2) {
		int hi = hex_digit((unsigned char)s[i]), lo = hex_digit((unsigned char)s[i + 1]);

		if (hi < 0 || lo < 0)
			return 0;
		out[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	return (int)(len / 2);
}

static int add_mappings(struct reader *r)
{
	size_t i, len;
	int ret;

	for (i = 0; i < r->nmappings; i++) {
		const struct rd_mapping *m = &r->mappings[i];
		unsigned char build_id[20];
		struct profile_mapping *pm;
		const char *bid;
		uint32_t id;
		int n;

		ret = check_string(r, m->filename, m->at, "a mapping's file name");
		if (!ret)
			ret = check_string(r, m->build_id, m->at, "a mapping's build-id");
		if (ret)
			return ret;
		if (idmap_add(&r->mapping_ids, m->id, i))
			return bad(r, m->at, "second mapping with id %" PRIu64, m->id);
		bid = string_bytes(r, m->build_id, &len);
		n = build_id_bytes(bid, len, build_id);
		id = profile_add_mapping(r->p, string_at(r, m->filename), build_id, n,
					 m->start, m->limit, m->offset);
		pm = &r->p->mappings[id];
		pm->kernel = starts_with(pm->path, "[kernel.");
		pm->has_symtab = !!(m->flags & HAS_FUNCTIONS);
		pm->has_debuginfo = !!(m->flags & HAS_LINE_NUMBERS);
	}
	return 0;
}

static int add_functions(struct reader *r)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < r->nfunctions && !ret; i++) {
		const struct rd_function *f = &r->functions[i];

		ret = check_string(r, f->name, f->at, "a function's name");
		if (!ret)
			ret = check_string(r, f->system_name, f->at, "a function's system name");
		if (!ret)
			ret = check_string(r, f->filename, f->at, "a function's file name");
		if (!ret && idmap_add(&r->function_ids, f->id, i))
			ret = bad(r, f->at, "second function with id %" PRIu64, f->id);
	}
	return ret;
}

static int add_locations(struct reader *r)
{
	struct profile_line *lines = NULL;
	size_t i, k, alloc = 0;
	int ret = 0;

	for (i = 0; i < r->nlocations && !ret; i++) {
		const struct rd_location *l = &r->locations[i];
		int64_t m = 0;

		if (idmap_add(&r->location_ids, l->id, i)) {
			ret = bad(r, l->at, "second location with id %" PRIu64, l->id);
			break;
		}
		if (l->mapping_id && (m = idmap_get(&r->mapping_ids, l->mapping_id)) < 0) {
			ret = bad(r, l->at, "location %" PRIu64 " has mapping %" PRIu64
				  ", which the profile does not have", l->id, l->mapping_id);
			break;
		}
		ALLOC_GROW(lines, l->nlines, alloc);
		for (k = 0; k < l->nlines; k++) {
			const struct rd_line *rl = &r->lines[l->first_line + k];
			struct profile_line *pl = &lines[k];
			const struct rd_function *fn;
			int64_t f;

			memset(pl, 0, sizeof(*pl));
			pl->function = "";
			if (rl->line > 0 && rl->line <= UINT32_MAX)
				pl->line = (uint32_t)rl->line;
			if (!rl->function_id)
				continue;
			f = idmap_get(&r->function_ids, rl->function_id);
			if (f < 0) {
				ret = bad(r, l->at, "location %" PRIu64 " has function %" PRIu64
					  ", which the profile does not have", l->id,
					  rl->function_id);
				break;
			}
			fn = &r->functions[f];
			pl->function = string_at(r, fn->name);
			if (fn->system_name && fn->system_name != fn->name) {
				const char *sys = string_at(r, fn->system_name);

				if (!*pl->function)
					pl->function = sys;
				else if (*sys && strcmp(sys, pl->function))
					pl->system_name = sys;
			}
			if (fn->filename)
				pl->file = string_at(r, fn->filename);
			if (pl->file && !*pl->file)
				pl->file = NULL;
			pl->start_line = fn->start_line <= UINT32_MAX ?
					 (uint32_t)fn->start_line : 0;
		}
		if (!ret)
			profile_add_location(r->p, (uint32_t)(l->mapping_id ? m + 1 : 0),
					     l->address, lines, l->nlines);
	}
	free(lines);
	return ret;
}

/* The thread of samples without labels: see pprof.h. */
static uint32_t default_thread(struct reader *r)
{
	struct profile *p = r->p;
	const char *name = "pprof";

	if (!r->default_thread) {
		if (p->nmappings && *p->mappings[0].base)
			name = p->mappings[0].base;
		r->default_thread = profile_thread(p, -1, -1, name, strlen(name)) + 1;
	}
	return r->default_thread;
}

/*
 * A pid or tid label's id: its number, else its string in decimal, else
 * (or out of range) -1, unknown.
 */
static int32_t label_id(const struct reader *r, int has_num, uint64_t num, uint64_t str)
{
	const char *s;
	size_t len, i;
	int64_t v = (int64_t)num;

	if (!has_num) {
		s = string_bytes(r, str, &len);
		if (!len || len > 10)
			return -1;
		for (i = 0, v = 0; i < len; i++) {
			if (s[i] < '0' || s[i] > '9')
				return -1;
			v = v * 10 + (s[i] - '0');
		}
	}
	return v >= 0 && v <= INT32_MAX ? (int32_t)v : -1;
}

/*
 * A Label: what it says of the thread, if it is pid, tid, thread or run
 * (a run, 1 to PPROF_MAX_RUNS, else ignored).
 */
static int read_label(struct reader *r, struct cur c, int32_t *pid, int32_t *tid,
		      uint64_t *thread, uint32_t *run, int *has)
{
	uint64_t key = 0, str = 0, num = 0;
	size_t at = c.pos;
	struct field f;
	int ret, has_num = 0;

	while ((ret = next_field(r, &c, &f)) > 0) {
		if (f.num == F_LABEL_KEY) {
			ret = get_uint(r, &f, "Label", &key);
		} else if (f.num == F_LABEL_STR) {
			ret = get_uint(r, &f, "Label", &str);
		} else if (f.num == F_LABEL_NUM) {
			ret = get_uint(r, &f, "Label", &num);
			has_num = 1;
		}
		if (ret < 0)
			return ret;
	}
	if (ret < 0)
		return ret;
	ret = check_string(r, key, at, "a label's key");
	if (!ret)
		ret = check_string(r, str, at, "a label's value");
	if (ret)
		return ret;
	if (string_is(r, key, "pid")) {
		*pid = label_id(r, has_num, num, str);
		*has = 1;
	} else if (string_is(r, key, "tid")) {
		*tid = label_id(r, has_num, num, str);
		*has = 1;
	} else if (string_is(r, key, "thread")) {
		*thread = str;
		*has = 1;
	} else if (string_is(r, key, "run")) {
		int32_t v = label_id(r, has_num, num, str);

		if (v > 0 && v <= PPROF_MAX_RUNS) {
			*run = (uint32_t)v;
			*has = 1;
		}
	}
	return 0;
}

static int add_sample(struct reader *r, const struct span *s)
{
	struct cur c = { s->off, s->off + s->len };
	uint64_t values[PROFILE_MAX_TYPES] = { 0 }, name = 0;
	int32_t pid = -1, tid = -1;
	uint32_t stack, thread, run = 0;
	struct field f;
	size_t i, len;
	int ret, has = 0;

	r->nids = r->nvalues = 0;
	while ((ret = next_field(r, &c, &f)) > 0) {
		switch (f.num) {
		case F_SAMPLE_LOCATION_ID:
			ret = get_repeated(r, &f, "Sample", &r->ids, &r->nids, &r->ids_alloc);
			break;
		case F_SAMPLE_VALUE:
			ret = get_repeated(r, &f, "Sample", &r->values, &r->nvalues,
					   &r->values_alloc);
			break;
		case F_SAMPLE_LABEL:
			ret = want(r, &f, WT_LEN, "Sample");
			if (!ret)
				ret = read_label(r, f.sub, &pid, &tid, &name, &run, &has);
			break;
		default:
			break;
		}
		if (ret < 0)
			return ret;
	}
	if (ret < 0)
		return ret;
	if (r->nvalues > r->p->ntypes)
		return bad(r, s->off, "a sample has %zu values for %zu sample types",
			   r->nvalues, r->p->ntypes);
	for (i = 0; i < r->nvalues; i++) {
		if ((int64_t)r->values[i] < 0)
			return fail_code(r, -FG_ERR_UNSUPPORTED, s->off,
					 "negative sample value %" PRId64
					 " (a difference of profiles?)",
					 (int64_t)r->values[i]);
		values[i] = r->values[i];
	}
	/* outermost first, as the profile keeps stacks */
	ALLOC_GROW(r->stack, r->nids, r->stack_alloc);
	for (i = 0; i < r->nids; i++) {
		int64_t loc = idmap_get(&r->location_ids, r->ids[i]);

		if (loc < 0)
			return bad(r, s->off, "a sample has location %" PRIu64
				   ", which the profile does not have", r->ids[i]);
		r->stack[r->nids - 1 - i] = (uint32_t)loc;
	}
	stack = profile_stack(r->p, r->stack, r->nids);
	if (has) {
		const char *n = string_bytes(r, name, &len);

		profile_begin_run(r->p, run);
		thread = profile_thread(r->p, pid, tid, n, len) + 1;
	} else {
		profile_begin_run(r->p, 0);
		thread = default_thread(r);
	}
	ret = profile_add(r->p, stack, thread, values);
	if (ret)
		return fail_code(r, ret, s->off, "sample values overflow 64 bits when summed");
	return 0;
}

static const char *none_if_empty(const char *s)
{
	return *s ? s : NULL;
}

static int set_meta(struct reader *r)
{
	struct profile_meta *m = &r->p->meta;
	int ret;

	if (r->default_type) {
		ret = check_string(r, r->default_type, r->default_type_at,
				   "default_sample_type");
		if (ret)
			return ret;
		m->default_type = none_if_empty(string_at(r, r->default_type));
	}
	if (r->has_comment) {
		ret = check_string(r, r->comment, r->comment_at, "a comment");
		if (ret)
			return ret;
		m->command = none_if_empty(string_at(r, r->comment));
	}
	if (r->has_period_type) {
		const struct rd_type *t = &r->period_type;

		ret = check_string(r, t->type, t->at, "period_type");
		if (!ret)
			ret = check_string(r, t->unit, t->at, "period_type");
		if (ret)
			return ret;
		m->event = none_if_empty(string_at(r, t->type));
		if (string_is(r, t->unit, "nanoseconds") && (int64_t)r->period > 0)
			m->frequency = (1000000000 + r->period / 2) / r->period;
	}
	if ((int64_t)r->period > 0)
		m->period = r->period;
	if ((int64_t)r->time_nanos > 0)
		m->start_ns = r->time_nanos;
	if ((int64_t)r->duration_nanos > 0)
		m->duration_ns = r->duration_nanos;
	return 0;
}

static int decode(struct reader *r)
{
	size_t i;
	int ret;

	ret = read_profile(r);
	if (ret)
		return ret;
	ret = init_profile(r);
	if (ret)
		return ret;
	r->interned = xcalloc(r->nstrings ? r->nstrings : 1, sizeof(*r->interned));
	ret = add_mappings(r);
	if (!ret)
		ret = add_functions(r);
	if (!ret)
		ret = add_locations(r);
	for (i = 0; i < r->nsamples && !ret; i++)
		ret = add_sample(r, &r->samples[i]);
	if (!ret)
		ret = set_meta(r);
	return ret;
}

static void reader_release(struct reader *r)
{
	free(r->strings);
	free(r->interned);
	free(r->types);
	free(r->mappings);
	free(r->locations);
	free(r->lines);
	free(r->functions);
	free(r->samples);
	free(r->ids);
	free(r->values);
	free(r->stack);
	intmap_release(&r->mapping_ids.map);
	intmap_release(&r->location_ids.map);
	intmap_release(&r->function_ids.map);
}

static int is_gzip(const unsigned char *data, size_t len)
{
	return len >= 2 && data[0] == 0x1f && data[1] == 0x8b;
}

/*
 * Decompress the gzip members at data into *out (malloc'd, *outlen
 * bytes), at most PPROF_MAX_MESSAGE bytes in all.
 */
static int gunzip(const unsigned char *data, size_t len, unsigned char **out,
		  size_t *outlen, struct fg_buf *err)
{
	struct libdeflate_decompressor *d;
	const size_t max = PPROF_MAX_MESSAGE;
	size_t cap = 4096, in_pos = 0, used = 0;
	unsigned char *buf;
	int ret = 0;

	/* the last member's size (mod 2^32) from its trailer: a good first guess */
	if (len >= 18) {
		size_t isize = (size_t)data[len - 4] | (size_t)data[len - 3] << 8 |
			       (size_t)data[len - 2] << 16 | (size_t)data[len - 1] << 24;

		if (isize > max) {
			if (err)
				fg_buf_addf(err, "pprof: the gzip trailer gives a size of %zu "
					    "bytes, more than the %zu MiB read", isize,
					    max >> 20);
			return -FG_ERR_UNSUPPORTED;
		}
		if (isize > cap)
			cap = isize;
	}
	d = libdeflate_alloc_decompressor();
	if (!d) {
		if (err)
			fg_buf_addstr(err, "pprof: cannot allocate a gzip decompressor");
		return -FG_ERR_NO_MEMORY;
	}
	buf = xmalloc(cap);
	while (in_pos < len) {
		size_t in_used = 0, out_used = 0;
		enum libdeflate_result res;

		res = libdeflate_gzip_decompress_ex(d, data + in_pos, len - in_pos,
						    buf + used, cap - used,
						    &in_used, &out_used);
		if (res == LIBDEFLATE_INSUFFICIENT_SPACE) {
			if (cap >= max) {
				if (err)
					fg_buf_addf(err, "pprof: the gzip data expands past "
						    "%zu MiB, the most read", max >> 20);
				ret = -FG_ERR_UNSUPPORTED;
				break;
			}
			cap = cap > max / 2 ? max : 2 * cap;
			buf = xrealloc(buf, cap);
			continue;
		}
		if (res != LIBDEFLATE_SUCCESS) {
			if (err)
				fg_buf_addf(err, "pprof: corrupt gzip data in the member at "
					    "byte %zu of the file", in_pos);
			ret = -FG_ERR_BAD_INPUT;
			break;
		}
		in_pos += in_used;
		used += out_used;
	}
	libdeflate_free_decompressor(d);
	if (ret) {
		free(buf);
		return ret;
	}
	*out = buf;
	*outlen = used;
	return 0;
}

int pprof_read(const unsigned char *data, size_t len, struct profile *p,
	       struct fg_buf *err)
{
	struct reader r;
	unsigned char *inflated = NULL;
	int ret;

	memset(p, 0, sizeof(*p));
	memset(&r, 0, sizeof(r));
	r.msg = data;
	r.len = len;
	r.p = p;
	r.err = err;
	if (is_gzip(data, len)) {
		ret = gunzip(data, len, &inflated, &r.len, err);
		if (ret)
			return ret;
		r.msg = inflated;
	}
	ret = decode(&r);
	reader_release(&r);
	free(inflated);
	if (ret) {
		/* released, or never initialised: zeroed either way */
		if (p->ntypes)
			profile_release(p);
		memset(p, 0, sizeof(*p));
	} else {
		profile_begin_run(p, 0);	/* threads added later: of no run */
	}
	return ret;
}
