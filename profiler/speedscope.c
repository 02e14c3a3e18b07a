/*
 * speedscope's file format: see speedscope.h.
 *
 * Three steps. First one pass over the samples (or the timeline's events)
 * counts, per thread, the samples it keeps, their sum and the time of the
 * first, and marks the stacks they use. Then a second pass puts each kept
 * sample's (stack, weight) in one array grouped by thread: 8 bytes a
 * sample while every weight fits 32 bits, 12 else, so a long recording
 * costs a few MB however its threads interleave. Last the document: the
 * frames of the stacks used, then each thread's samples, every sample
 * written as its stack's frame indexes in full (speedscope wants the whole
 * stack each time).
 */
#include "speedscope.h"
#include "../lib/error.h"
#include "../lib/strmap.h"

#define SCHEMA_URL "https://www.speedscope.app/file-format-schema.json"
#define FLUSH_AT (64u << 10)	/* bytes gathered before a write to the FILE */

/* One entry of "shared.frames"; its name is the key of its frame_map entry. */
struct ss_frame {
	const char *file;	/* the profile's string, or NULL */
	uint32_t line;		/* lowest line seen, 0 none */
};

/* The frames of a location: frame_ids[off ...], n of them (0: not made yet). */
struct ss_location {
	uint32_t off, n;
};

/* What a thread (slot 0: samples without one) keeps. */
struct ss_thread {
	size_t n;		/* samples kept */
	size_t pos;		/* its first in the sample arrays, then the next to fill */
	uint64_t sum;		/* of their weights, saturated */
	uint64_t first;		/* time of the first kept */
};

/* A sample as both sources give it. */
struct ss_sample {
	uint64_t time;		/* 0 without a timeline */
	uint32_t stack, thread;	/* thread id + 1, 0 none */
	uint64_t weight;
	int keep;
};

struct ss_writer {
	struct profile *p;
	size_t value;
	int by_time;		/* read the timeline, not the sums */

	struct strmap frame_map;	/* "name\0" ["F" file] -> its index */
	struct ss_frame *frames;
	size_t nframes, frames_alloc;
	struct ss_location *locs;	/* one per location of p */
	uint32_t *frame_ids;
	size_t nframe_ids, frame_ids_alloc;

	struct ss_thread *threads;	/* p->nthreads + 1 */
	unsigned char *used;		/* per stack: a kept sample has it */
	uint64_t first_time;		/* of the profile's first event */
	int seen_event;
	uint64_t max_weight;

	/* the kept samples, grouped by thread */
	uint32_t *stacks;
	uint32_t *weights32;		/* while every weight fits */
	uint64_t *weights64;		/* else */

	size_t next;			/* the next sample of p (no timeline) */
	struct fg_buf out;
	struct fg_buf fold;		/* a location's folded text */
	struct fg_buf scratch;
	FILE *fp;
};

/* ------------------------------------------------------------------------- */
/* Output                                                                     */

static void flush(struct ss_writer *w)
{
	if (w->out.len)
		fwrite(w->out.buf, 1, w->out.len, w->fp);
	fg_buf_reset(&w->out);
}

static void put(struct ss_writer *w, const char *s)
{
	fg_buf_addstr(&w->out, s);
	if (w->out.len >= FLUSH_AT)
		flush(w);
}

static void put_u64(struct ss_writer *w, uint64_t v)
{
	fg_buf_addu64(&w->out, v);
}

/*
 * The length of the well-formed UTF-8 sequence at s (n > 0 bytes left),
 * or 0 with *bad the length of the ill-formed prefix that stands for one
 * U+FFFD (its maximal subpart, as Unicode recommends).
 */
static size_t utf8_len(const unsigned char *s, size_t n, size_t *bad)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] < 0xc2 || s[0] > 0xf4) {
		*bad = 1;
		return 0;
	}
	need = s[0] < 0xe0 ? 1 : s[0] < 0xf0 ? 2 : 3;
	if (s[0] == 0xe0)
		lo = 0xa0;	/* overlong */
	else if (s[0] == 0xed)
		hi = 0x9f;	/* surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90;	/* overlong */
	else if (s[0] == 0xf4)
		hi = 0x8f;	/* past U+10FFFF */
	for (i = 1; i <= need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi) {
			*bad = i;
			return 0;
		}
		lo = 0x80;
		hi = 0xbf;
	}
	return need + 1;
}

/* s (len bytes) as a JSON string, quotes included. */
static void put_string(struct ss_writer *w, const char *str, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str, *end = s + len;
	struct fg_buf *b = &w->out;

	fg_buf_addch(b, '"');
	while (s < end) {
		size_t bad = 0, n = utf8_len(s, (size_t)(end - s), &bad);

		if (!n) {
			fg_buf_addstr(b, "\\ufffd");
			s += bad;
			continue;
		}
		if (n > 1) {
			fg_buf_add(b, s, n);
			s += n;
			continue;
		}
		switch (*s) {
		case '"':
			fg_buf_addstr(b, "\\\"");
			break;
		case '\\':
			fg_buf_addstr(b, "\\\\");
			break;
		case '\n':
			fg_buf_addstr(b, "\\n");
			break;
		case '\r':
			fg_buf_addstr(b, "\\r");
			break;
		case '\t':
			fg_buf_addstr(b, "\\t");
			break;
		default:
			if (*s < 0x20) {
				fg_buf_addstr(b, "\\u00");
				fg_buf_addch(b, hex[*s >> 4]);
				fg_buf_addch(b, hex[*s & 15]);
			} else {
				fg_buf_addch(b, *s);
			}
			break;
		}
		s++;
	}
	fg_buf_addch(b, '"');
	if (b->len >= FLUSH_AT)
		flush(w);
}

static void put_cstring(struct ss_writer *w, const char *s)
{
	put_string(w, s, strlen(s));
}

/* ------------------------------------------------------------------------- */
/* Frames                                                                     */

/* The index of the frame (name, file), made on first use; line joins it. */
static uint32_t frame_index(struct ss_writer *w, const char *name, size_t len,
			    const char *file, uint32_t line)
{
	struct strmap_entry *e;
	struct ss_frame *f;
	int created;

	/* names hold no NUL (the profile keeps none), so it ends the name */
	fg_buf_reset(&w->scratch);
	fg_buf_add(&w->scratch, name, len);
	fg_buf_addch(&w->scratch, '\0');
	if (file) {
		fg_buf_addch(&w->scratch, 'F');
		fg_buf_addstr(&w->scratch, file);
	}
	e = strmap_put(&w->frame_map, w->scratch.buf, w->scratch.len, &created);
	if (created) {
		if (w->nframes >= UINT32_MAX)
			BUG("speedscope: more than %u frames", UINT32_MAX);
		e->val = w->nframes;
		ALLOC_GROW(w->frames, w->nframes + 1, w->frames_alloc);
		w->frames[w->nframes].file = file;
		w->frames[w->nframes].line = 0;
		w->nframes++;
	}
	f = &w->frames[e->val];
	if (line && (!f->line || line < f->line))
		f->line = line;
	return (uint32_t)e->val;
}

/*
 * Give location loc its frames, outermost first: the folded text of the
 * location split at ';' (tidied names hold none), part j naming line
 * nlines - 1 - j (the lines are innermost first). A text input's name
 * holding a ';' (which profile_named_location() does not allow) would
 * split wrongly: such a location is one frame, its whole text.
 */
static void make_location(struct ss_writer *w, uint32_t loc)
{
	const struct profile *p = w->p;
	const struct profile_location *l = &p->locations[loc];
	struct fg_buf *text = &w->fold;
	size_t want = l->nlines ? l->nlines : 1, parts = 1, i, j;
	const char *s, *end;

	fg_buf_reset(text);
	profile_location_fold(p, loc, 1, text);
	for (i = 0; i < text->len; i++)
		parts += text->buf[i] == ';';
	w->locs[loc].off = (uint32_t)w->nframe_ids;
	if (w->nframe_ids + want > UINT32_MAX)
		BUG("speedscope: more than %u location frames", UINT32_MAX);
	if (parts != want) {
		const struct profile_line *ln = l->nlines == 1 ? &p->lines[l->first_line] : NULL;

		ALLOC_GROW(w->frame_ids, w->nframe_ids + 1, w->frame_ids_alloc);
		w->frame_ids[w->nframe_ids++] = frame_index(w, text->buf, text->len,
							    ln ? ln->file : NULL,
							    ln ? ln->line : 0);
		w->locs[loc].n = 1;
		return;
	}
	ALLOC_GROW(w->frame_ids, w->nframe_ids + want, w->frame_ids_alloc);
	s = text->buf;
	end = text->buf + text->len;
	for (j = 0; j < want; j++) {
		const char *semi = memchr(s, ';', (size_t)(end - s));
		size_t len = semi ? (size_t)(semi - s) : (size_t)(end - s);
		const struct profile_line *ln = l->nlines ?
			&p->lines[l->first_line + l->nlines - 1 - j] : NULL;

		w->frame_ids[w->nframe_ids++] = frame_index(w, s, len,
							    ln ? ln->file : NULL,
							    ln ? ln->line : 0);
		s = semi ? semi + 1 : end;
	}
	w->locs[loc].n = (uint32_t)want;
}

/* Frames for every location of the stacks used, in the order first met. */
static void make_frames(struct ss_writer *w)
{
	const struct profile *p = w->p;
	size_t s, i, n;

	w->locs = xcalloc(p->nlocations ? p->nlocations : 1, sizeof(*w->locs));
	for (s = 0; s < p->nstacks; s++) {
		const uint32_t *ids;

		if (!w->used[s])
			continue;
		ids = profile_stack_ids(p, (uint32_t)s, &n);
		for (i = 0; i < n; i++)
			if (!w->locs[ids[i]].n)
				make_location(w, ids[i]);
	}
}

/* ------------------------------------------------------------------------- */
/* Samples                                                                    */

static int counts_in_any(const uint64_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i])
			return 1;
	return 0;
}

static void rewind_samples(struct ss_writer *w)
{
	if (w->by_time)
		timeline_rewind(w->p->timeline);
	w->next = 0;
}

/*
 * The next sample into *s: 1, 0 at the end, or -FG_ERR_IO. A sample is
 * kept unless it counts nothing of the type shown but counts in another
 * (it belongs to another view), as profile_fold() does.
 */
static int next_sample(struct ss_writer *w, struct ss_sample *s)
{
	const struct profile *p = w->p;

	if (w->by_time) {
		struct timeline_event e;
		int ret = timeline_next(p->timeline, &e);

		if (ret <= 0)
			return ret;
		if (e.stack >= p->nstacks || e.thread > p->nthreads)
			BUG("speedscope: timeline event of stack %u, thread %u",
			    e.stack, e.thread);
		s->time = e.time;
		s->stack = e.stack;
		s->thread = e.thread;
		/* values of types added after the event are 0 */
		s->weight = w->value < e.nvalues ? e.values[w->value] : 0;
		s->keep = s->weight || !counts_in_any(e.values, e.nvalues);
		return 1;
	}
	if (w->next >= p->nsamples)
		return 0;
	s->time = 0;
	s->stack = p->samples[w->next].stack;
	s->thread = p->samples[w->next].thread;
	s->weight = profile_values(p, w->next)[w->value];
	s->keep = s->weight || !counts_in_any(profile_values(p, w->next), p->ntypes);
	w->next++;
	return 1;
}

/* Pass one: what each thread keeps, and which stacks are used. */
static int count_samples(struct ss_writer *w)
{
	struct ss_sample s;
	int ret;

	rewind_samples(w);
	while ((ret = next_sample(w, &s)) > 0) {
		struct ss_thread *t = &w->threads[s.thread];

		if (!w->seen_event || s.time < w->first_time)
			w->first_time = s.time;
		w->seen_event = 1;
		if (!s.keep)
			continue;
		if (!t->n)
			t->first = s.time;
		t->n++;
		if (__builtin_add_overflow(t->sum, s.weight, &t->sum))
			t->sum = UINT64_MAX;
		if (s.weight > w->max_weight)
			w->max_weight = s.weight;
		w->used[s.stack] = 1;
	}
	return ret;
}

/* Pass two: the kept samples' (stack, weight), grouped by thread. */
static int gather_samples(struct ss_writer *w)
{
	struct ss_sample s;
	size_t i, total = 0;
	int ret;

	for (i = 0; i <= w->p->nthreads; i++) {
		w->threads[i].pos = total;
		total += w->threads[i].n;
	}
	w->stacks = xmalloc(st_mult(total ? total : 1, sizeof(*w->stacks)));
	if (w->max_weight > UINT32_MAX)
		w->weights64 = xmalloc(st_mult(total ? total : 1, sizeof(*w->weights64)));
	else
		w->weights32 = xmalloc(st_mult(total ? total : 1, sizeof(*w->weights32)));
	rewind_samples(w);
	while ((ret = next_sample(w, &s)) > 0) {
		size_t k;

		if (!s.keep)
			continue;
		k = w->threads[s.thread].pos++;
		w->stacks[k] = s.stack;
		if (w->weights64)
			w->weights64[k] = s.weight;
		else
			w->weights32[k] = (uint32_t)s.weight;
	}
	/* pos is back at each thread's first sample */
	for (i = 0; i <= w->p->nthreads; i++)
		w->threads[i].pos -= w->threads[i].n;
	return ret;
}

/* ------------------------------------------------------------------------- */
/* The document                                                               */

/* speedscope's name for the unit of the values, "none" when it has none. */
static const char *unit_name(const char *unit)
{
	static const char *const known[] = {
		"nanoseconds", "microseconds", "milliseconds", "seconds", "bytes",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(known); i++)
		if (!strcmp(unit, known[i]))
			return known[i];
	return "none";
}

static void write_frames(struct ss_writer *w)
{
	size_t i;

	put(w, "\"shared\":{\"frames\":[");
	for (i = 0; i < w->nframes; i++) {
		const struct strmap_entry *e = &w->frame_map.v[i];
		const struct ss_frame *f = &w->frames[i];

		put(w, i ? ",\n{\"name\":" : "\n{\"name\":");
		put_cstring(w, e->key);	/* up to the NUL that ends the name */
		if (f->file) {
			put(w, ",\"file\":");
			put_cstring(w, f->file);
		}
		if (f->line) {
			put(w, ",\"line\":");
			put_u64(w, f->line);
		}
		put(w, "}");
	}
	put(w, "]},\n");
}

/* The frames of stack, as a JSON array. */
static void write_stack(struct ss_writer *w, uint32_t stack)
{
	size_t n, i, j;
	const uint32_t *ids = profile_stack_ids(w->p, stack, &n);
	int first = 1;

	fg_buf_addch(&w->out, '[');
	for (i = 0; i < n; i++) {
		const struct ss_location *l = &w->locs[ids[i]];

		for (j = 0; j < l->n; j++) {
			if (!first)
				fg_buf_addch(&w->out, ',');
			first = 0;
			fg_buf_addu64(&w->out, w->frame_ids[l->off + j]);
		}
	}
	fg_buf_addch(&w->out, ']');
	if (w->out.len >= FLUSH_AT)
		flush(w);
}

/* The profile of thread slot t (0: samples without a thread). */
static void write_profile(struct ss_writer *w, size_t t, const char *name,
			  const char *unit, int first)
{
	const struct ss_thread *th = &w->threads[t];
	uint64_t start = 0, end;
	size_t k;

	put(w, first ? "{\"type\":\"sampled\",\"name\":" : ",\n{\"type\":\"sampled\",\"name\":");
	if (t) {
		const struct profile_thread *pt = &w->p->threads[t - 1];

		fg_buf_reset(&w->scratch);
		fg_buf_addstr(&w->scratch, *pt->name ? pt->name : "[unknown]");
		/* an id a text input did not give (-1) reads "?", as perf prints it */
		if (pt->tid < 0)
			fg_buf_addstr(&w->scratch, " (?)");
		else
			fg_buf_addf(&w->scratch, " (%d)", (int)pt->tid);
		/* --repeat: the run, in the name speedscope lists it by */
		if (pt->run)
			fg_buf_addf(&w->scratch, " run %u", pt->run);
		put_string(w, w->scratch.buf, w->scratch.len);
	} else {
		put_cstring(w, name);
	}
	put(w, ",\"unit\":\"");
	put(w, unit);
	/* times are nanoseconds: where the thread starts means something then */
	if (w->by_time && th->n && !strcmp(unit, "nanoseconds"))
		start = th->first - w->first_time;
	if (__builtin_add_overflow(start, th->sum, &end))
		end = UINT64_MAX;
	put(w, "\",\"startValue\":");
	put_u64(w, start);
	put(w, ",\"endValue\":");
	put_u64(w, end);
	put(w, ",\"samples\":[");
	for (k = th->pos; k < th->pos + th->n; k++) {
		put(w, k > th->pos ? ",\n" : "\n");
		write_stack(w, w->stacks[k]);
	}
	put(w, "],\n\"weights\":[");
	for (k = th->pos; k < th->pos + th->n; k++) {
		if (k > th->pos)
			fg_buf_addch(&w->out, ',');
		put_u64(w, w->weights64 ? w->weights64[k] : w->weights32[k]);
		if (w->out.len >= FLUSH_AT)
			flush(w);
	}
	put(w, "]}");
}

static void write_document(struct ss_writer *w, const char *name)
{
	const char *unit = unit_name(w->p->types[w->value].unit);
	size_t t;
	int first = 1;

	put(w, "{\"$schema\":\"" SCHEMA_URL "\",\n\"name\":");
	put_cstring(w, name);
	put(w, ",\"activeProfileIndex\":0,\"exporter\":\"flamegraph\",\n");
	write_frames(w);
	put(w, "\"profiles\":[");
	for (t = 0; t <= w->p->nthreads; t++) {
		if (!w->threads[t].n)
			continue;
		write_profile(w, t, name, unit, first);
		first = 0;
	}
	if (first)	/* no sample: one empty profile, for the document to show */
		write_profile(w, 0, name, unit, 1);
	put(w, "]}\n");
	flush(w);
}

static void writer_release(struct ss_writer *w)
{
	strmap_release(&w->frame_map);
	free(w->frames);
	free(w->locs);
	free(w->frame_ids);
	free(w->threads);
	free(w->used);
	free(w->stacks);
	free(w->weights32);
	free(w->weights64);
	fg_buf_release(&w->out);
	fg_buf_release(&w->fold);
	fg_buf_release(&w->scratch);
}

int speedscope_write(struct profile *p, int value, const char *name,
		     FILE *out, struct fg_buf *err)
{
	struct ss_writer w;
	int ret;

	if (value < 0 || (size_t)value >= p->ntypes)
		BUG("speedscope_write: bad sample type %d", value);
	if (!name)
		name = "profile";
	profile_resolve_text(p);

	memset(&w, 0, sizeof(w));
	w.p = p;
	w.value = (size_t)value;
	w.by_time = p->timeline != NULL;
	w.fp = out;
	strmap_init(&w.frame_map);
	fg_buf_init(&w.out, FLUSH_AT + 4096);
	fg_buf_init(&w.scratch, 256);
	w.threads = xcalloc(p->nthreads + 1, sizeof(*w.threads));
	w.used = xcalloc(p->nstacks ? p->nstacks : 1, 1);

	ret = count_samples(&w);
	if (!ret)
		ret = gather_samples(&w);
	if (ret) {
		if (err)
			fg_buf_addf(err, "cannot read the timeline back: %s", strerror(errno));
		writer_release(&w);
		return -FG_ERR_IO;
	}
	make_frames(&w);
	write_document(&w, name);
	writer_release(&w);
	if (fflush(out) || ferror(out)) {
		if (err)
			fg_buf_addf(err, "cannot write the speedscope profile: %s",
				    strerror(errno));
		return -FG_ERR_IO;
	}
	return 0;
}
