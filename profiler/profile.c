/*
 * The profile model: see profile.h.
 *
 * Interning uses struct intmap keyed by a hash of the contents, the
 * entries' indexes as values (intmap_find_hashed()).
 */
#include "profile.h"
#include "../lib/error.h"
#include "../lib/hash.h"

#include <string.h>

void profile_init(struct profile *p, const struct profile_value_type *types,
		  size_t ntypes)
{
	size_t i;

	if (!ntypes || ntypes > PROFILE_MAX_TYPES)
		BUG("profile_init: %zu sample types", ntypes);
	memset(p, 0, sizeof(*p));
	p->ntypes = ntypes;
	for (i = 0; i < ntypes; i++) {
		p->types[i].type = profile_string(p, types[i].type, strlen(types[i].type));
		p->types[i].unit = profile_string(p, types[i].unit, strlen(types[i].unit));
	}
	arena_init(&p->texts);
}

void profile_release(struct profile *p)
{
	size_t i;

	for (i = 0; i < p->nstrings; i++)
		free(p->strings[i]);
	free(p->strings);
	free(p->mappings);
	free(p->locations);
	free(p->lines);
	free(p->threads);
	free(p->stack_ids);
	free(p->stacks);
	arena_release(&p->texts);
	free(p->samples);
	free(p->values);
	intmap_release(&p->stack_map);
	intmap_release(&p->sample_map);
	intmap_release(&p->thread_map);
	intmap_release(&p->string_map);
	intmap_release(&p->named_map);
	intmap_release(&p->text_map);
	if (p->timeline) {
		timeline_release(p->timeline);
		free(p->timeline);
	}
	memset(p, 0, sizeof(*p));
}

/* What a probe looks for: str, compared by same(). */
struct probe_ctx {
	const struct profile *p;
	const char *str;
	size_t len;
	int (*same)(const struct profile *, uint64_t, const char *, size_t);
};

static int probe_same(const void *ctx, uint64_t idx)
{
	const struct probe_ctx *c = ctx;

	return c->same(c->p, idx, c->str, c->len);
}

/*
 * Probe map for the entry of str (hash h): returns its value, or NULL with
 * *key the free key to put it at. same() compares an entry with str.
 */
static uint64_t *probe_hashed(struct profile *p, struct intmap *map, const char *str,
			      size_t len, uint64_t h,
			      int (*same)(const struct profile *, uint64_t,
					  const char *, size_t),
			      uint64_t *key)
{
	struct probe_ctx c = { p, str, len, same };

	return intmap_find_hashed(map, h, probe_same, &c, key);
}

/* probe_hashed() with the hash of str. */
static uint64_t *probe(struct profile *p, struct intmap *map, const char *str,
		       size_t len, int (*same)(const struct profile *, uint64_t,
					       const char *, size_t),
		       uint64_t *key)
{
	return probe_hashed(p, map, str, len, hash_bytes(str, len), same, key);
}

static int same_string(const struct profile *p, uint64_t idx, const char *str,
		       size_t len)
{
	const char *s = p->strings[idx];

	return !strncmp(s, str, len) && s[len] == '\0';
}

const char *profile_string(struct profile *p, const char *str, size_t len)
{
	uint64_t key, *v;

	len = strnlen(str, len);
	v = probe(p, &p->string_map, str, len, same_string, &key);
	if (v)
		return p->strings[*v];
	ALLOC_GROW(p->strings, p->nstrings + 1, p->strings_alloc);
	p->strings[p->nstrings] = xmemdupz(str, len);
	intmap_put(&p->string_map, key, p->nstrings);
	return p->strings[p->nstrings++];
}

uint32_t profile_add_mapping(struct profile *p, const char *path,
			     const unsigned char *build_id, int build_id_len,
			     uint64_t start, uint64_t limit, uint64_t offset)
{
	struct profile_mapping *m;
	const char *slash;

	ALLOC_GROW(p->mappings, p->nmappings + 1, p->mappings_alloc);
	m = &p->mappings[p->nmappings];
	memset(m, 0, sizeof(*m));
	m->path = profile_string(p, path, strlen(path));
	slash = strrchr(m->path, '/');
	m->base = slash ? slash + 1 : m->path;
	if (build_id && build_id_len > 0 && build_id_len <= (int)sizeof(m->build_id)) {
		memcpy(m->build_id, build_id, (size_t)build_id_len);
		m->build_id_len = build_id_len;
	}
	m->start = start;
	m->limit = limit;
	m->offset = offset;
	return (uint32_t)p->nmappings++;
}

/* Copy n lines into p->lines; returns the index of the first. */
static uint32_t add_lines(struct profile *p, const struct profile_line *lines, size_t n)
{
	uint32_t first = (uint32_t)p->nlines;
	size_t i;

	ALLOC_GROW(p->lines, p->nlines + n, p->lines_alloc);
	for (i = 0; i < n; i++) {
		struct profile_line *d = &p->lines[p->nlines++];
		const struct profile_line *s = &lines[i];

		d->function = s->function ? profile_string(p, s->function, strlen(s->function)) : "";
		d->system_name = s->system_name ?
			profile_string(p, s->system_name, strlen(s->system_name)) : NULL;
		d->file = s->file ? profile_string(p, s->file, strlen(s->file)) : NULL;
		d->line = s->line;
		d->start_line = s->start_line;
	}
	return first;
}

void profile_set_location(struct profile *p, uint32_t loc, uint32_t mapping,
			  uint64_t address, const struct profile_line *lines, size_t n)
{
	struct profile_location *l;

	if (loc >= p->nlocations || mapping > p->nmappings)
		BUG("profile_set_location: bad location %u or mapping %u", loc, mapping);
	l = &p->locations[loc];
	l->mapping = mapping;
	l->address = address;
	l->first_line = add_lines(p, lines, n);
	l->nlines = (uint32_t)n;
}

uint32_t profile_add_location(struct profile *p, uint32_t mapping,
			      uint64_t address,
			      const struct profile_line *lines, size_t n)
{
	ALLOC_GROW(p->locations, p->nlocations + 1, p->locations_alloc);
	memset(&p->locations[p->nlocations], 0, sizeof(p->locations[0]));
	p->nlocations++;
	profile_set_location(p, (uint32_t)(p->nlocations - 1), mapping, address, lines, n);
	return (uint32_t)(p->nlocations - 1);
}

static int same_named(const struct profile *p, uint64_t idx, const char *str,
		      size_t len)
{
	const struct profile_location *l = &p->locations[idx];

	const char *f = p->lines[l->first_line].function;

	/* str has no NUL byte: profile_named_location() replaced them */
	return !strncmp(f, str, len) && f[len] == '\0';
}

/*
 * Text as a profile keeps it: a NUL byte, which no name holds, reads '?'.
 * Returns s itself, or a copy (*tmp, for the caller to free) when it had
 * one.
 */
static const char *without_nul(const char *s, size_t len, char **tmp)
{
	size_t i;

	*tmp = NULL;
	if (!memchr(s, '\0', len))
		return s;
	*tmp = xmemdupz(s, len);
	for (i = 0; i < len; i++)
		if (!(*tmp)[i])
			(*tmp)[i] = '?';
	return *tmp;
}

uint32_t profile_named_location(struct profile *p, const char *name, size_t len)
{
	struct profile_line line = { 0 };
	uint64_t key, *v;
	uint32_t loc;
	char *tmp = NULL;

	name = without_nul(name, len, &tmp);	/* hashed as it will be kept */
	v = probe(p, &p->named_map, name, len, same_named, &key);
	if (v) {
		free(tmp);
		return (uint32_t)*v;
	}
	line.function = profile_string(p, name, len);
	free(tmp);
	intmap_put(&p->named_map, key, p->nlocations);
	loc = profile_add_location(p, 0, 0, &line, 1);
	p->locations[loc].flags |= PROFILE_LOC_VERBATIM;
	return loc;
}

/* Give stack st the n location ids (copied to the end of p->stack_ids). */
static void set_ids(struct profile *p, struct profile_stack *st,
		    const uint32_t *ids, size_t n)
{
	ALLOC_GROW(p->stack_ids, p->nstack_ids + n, p->stack_ids_alloc);
	memcpy(p->stack_ids + p->nstack_ids, ids, n * sizeof(*ids));
	st->off = p->nstack_ids;
	st->n = (uint32_t)n;
	p->nstack_ids += n;
}

/*
 * Append a stack (ids, or the text of a text stack: len bytes, the
 * first root_len of them its root, with their hash); returns its id.
 */
static uint32_t new_stack(struct profile *p, const uint32_t *ids, size_t n,
			  const char *text, size_t len, size_t root_len,
			  uint64_t hash)
{
	struct profile_stack *st;

	ALLOC_GROW(p->stacks, p->nstacks + 1, p->stacks_alloc);
	st = &p->stacks[p->nstacks];
	memset(st, 0, sizeof(*st));
	if (n)
		set_ids(p, st, ids, n);
	if (text) {
		st->text = arena_memdupz(&p->texts, text, len) + root_len;
		st->text_len = (uint32_t)(len - root_len);
		st->root_len = (uint32_t)root_len;
		st->hash = hash;
	}
	return (uint32_t)p->nstacks++;
}

/* Is text stack idx, its root included, the text str? */
static int same_text(const struct profile *p, uint64_t idx, const char *str,
		     size_t len)
{
	const struct profile_stack *st = &p->stacks[idx];

	return st->root_len + st->text_len == len &&
	       !memcmp(st->text - st->root_len, str, len);
}

/* The text stack of text (no NUL byte in it), root_len bytes its root. */
static uint32_t text_stack(struct profile *p, const char *text, size_t len,
			   size_t root_len)
{
	uint64_t key, *v, h;
	uint32_t stack;

	if (len > UINT32_MAX || root_len > len)
		BUG("profile_text_stack: a text of %zu bytes (root %zu)", len, root_len);
	h = hash_bytes(text, len);
	v = probe_hashed(p, &p->text_map, text, len, h, same_text, &key);
	if (v)
		return (uint32_t)*v;
	stack = new_stack(p, NULL, 0, text, len, root_len, h);
	intmap_put(&p->text_map, key, stack);
	return stack;
}

uint32_t profile_rooted_text_stack(struct profile *p, const char *text, size_t len,
				   size_t root_len)
{
	if (memchr(text, '\0', root_len))
		BUG("profile_rooted_text_stack: a NUL byte in the root");
	return text_stack(p, text, len, root_len);
}

uint32_t profile_text_stack(struct profile *p, const char *frames, size_t len)
{
	char *tmp = NULL;
	uint32_t stack;

	frames = without_nul(frames, len, &tmp);
	stack = text_stack(p, frames, len, 0);
	free(tmp);
	return stack;
}

void profile_resolve_text(struct profile *p)
{
	uint32_t *ids = NULL;
	size_t alloc = 0, i;

	for (i = 0; i < p->nstacks; i++) {
		struct profile_stack *st = &p->stacks[i];
		const char *s = st->text, *end;
		size_t n = 0;

		if (!st->text || st->n)
			continue;
		end = s + st->text_len;
		for (;;) {
			const char *semi = memchr(s, ';', (size_t)(end - s));
			size_t flen = semi ? (size_t)(semi - s) : (size_t)(end - s);

			ALLOC_GROW(ids, n + 1, alloc);
			ids[n++] = profile_named_location(p, s, flen);
			if (!semi)
				break;
			s = semi + 1;
		}
		set_ids(p, st, ids, n);
	}
	free(ids);
}

/* What finds a thread: the probe hashes and compares it as one key. */
struct thread_key {
	int32_t pid, tid;
	uint32_t run, pad;	/* pad: 0, so the key has no undefined bytes */
	const char *name;	/* interned */
};

static int same_thread(const struct profile *p, uint64_t idx, const char *str,
		       size_t len)
{
	const struct profile_thread *t = &p->threads[idx];
	const struct thread_key *k = (const struct thread_key *)(const void *)str;

	(void)len;
	return t->pid == k->pid && t->tid == k->tid && t->run == k->run &&
	       !strcmp(t->name, k->name);
}

/*
 * The root frame of a thread named name: no spaces or separators, as
 * inferno makes roots, and "[unknown]" for a thread without a name.
 */
static const char *thread_root(struct profile *p, const char *name)
{
	char *root, *c;
	const char *interned;

	if (!*name)
		return profile_string(p, "[unknown]", 9);
	root = xstrdup(name);
	for (c = root; *c; c++)
		if (*c == ' ')
			*c = '_';
		else if (*c == ';')
			*c = ':';
		else if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	interned = profile_string(p, root, strlen(root));
	free(root);
	return interned;
}

uint32_t profile_thread(struct profile *p, int32_t pid, int32_t tid,
			const char *name, size_t len)
{
	struct thread_key k;
	uint64_t key, *v;
	struct profile_thread *t;

	k.pid = pid;
	k.tid = tid;
	k.run = p->run;
	k.pad = 0;
	k.name = profile_string(p, name, len);
	v = probe(p, &p->thread_map, (const char *)&k, sizeof(k), same_thread, &key);
	if (v)
		return (uint32_t)*v;
	ALLOC_GROW(p->threads, p->nthreads + 1, p->threads_alloc);
	t = &p->threads[p->nthreads];
	t->pid = pid;
	t->tid = tid;
	t->run = p->run;
	t->name = k.name;
	t->root = thread_root(p, k.name);
	intmap_put(&p->thread_map, key, p->nthreads);
	return (uint32_t)p->nthreads++;
}

void profile_begin_run(struct profile *p, uint32_t run)
{
	p->run = run;
	if (run > p->nruns)
		p->nruns = run;
}

uint64_t profile_run_total(const struct profile *p, uint32_t run, int value)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < p->nsamples; i++) {
		uint32_t th = p->samples[i].thread;

		if ((th ? p->threads[th - 1].run : 0) == run &&
		    __builtin_add_overflow(sum, profile_values(p, i)[value], &sum))
			return UINT64_MAX;
	}
	return sum;
}

static int same_stack(const struct profile *p, uint64_t idx, const char *str,
		      size_t len)
{
	size_t n;
	const uint32_t *ids = profile_stack_ids(p, (uint32_t)idx, &n);

	return n * sizeof(*ids) == len && (!n || !memcmp(ids, str, len));
}

uint32_t profile_stack(struct profile *p, const uint32_t *ids, size_t n)
{
	uint64_t key, *v;
	size_t i;

	v = probe(p, &p->stack_map, (const char *)ids, n * sizeof(*ids), same_stack, &key);
	if (v)
		return (uint32_t)*v;
	for (i = 0; i < n; i++)
		if (ids[i] >= p->nlocations)
			BUG("profile_stack: bad location id %u", ids[i]);
	intmap_put(&p->stack_map, key, p->nstacks);
	return new_stack(p, ids, n, NULL, 0, 0, 0);
}

static int same_sample(const struct profile *p, uint64_t idx, const char *str,
		       size_t len)
{
	const struct profile_sample *k = (const void *)str;

	(void)len;
	return p->samples[idx].stack == k->stack && p->samples[idx].thread == k->thread;
}

/* The index of sample (stack, thread), added with zero values if new. */
static size_t sample_index(struct profile *p, uint32_t stack, uint32_t thread)
{
	struct profile_sample k = { stack, thread };
	struct profile_stack *st;
	uint64_t key = 0, *v;
	size_t idx;

	if (stack >= p->nstacks || thread > p->nthreads)
		BUG("profile_add: bad stack %u or thread %u", stack, thread);
	/*
	 * The first sample of each stack is found from the stack, and only
	 * the others are in the map: a stack is mostly sampled in one
	 * thread, and text inputs have no threads.
	 */
	st = &p->stacks[stack];
	if (st->first_sample) {
		idx = st->first_sample - 1;
		if (p->samples[idx].thread == thread)
			return idx;
		v = probe(p, &p->sample_map, (const char *)&k, sizeof(k),
			  same_sample, &key);
		if (v)
			return (size_t)*v;
	}
	idx = p->nsamples;
	ALLOC_GROW(p->samples, idx + 1, p->samples_alloc);
	ALLOC_GROW(p->values, (idx + 1) * p->ntypes, p->values_alloc);
	p->samples[idx] = k;
	memset(p->values + idx * p->ntypes, 0, p->ntypes * sizeof(*p->values));
	if (st->first_sample)
		intmap_put(&p->sample_map, key, idx);
	else
		st->first_sample = (uint32_t)idx + 1;
	p->nsamples++;
	return idx;
}

int profile_add(struct profile *p, uint32_t stack, uint32_t thread,
		const uint64_t *values)
{
	size_t i, idx = sample_index(p, stack, thread);	/* may move p->values */
	uint64_t *dst = p->values + idx * p->ntypes;
	uint64_t sum[PROFILE_MAX_TYPES];

	for (i = 0; i < p->ntypes; i++)
		if (__builtin_add_overflow(dst[i], values[i], &sum[i]))
			return -FG_ERR_COUNT_OVERFLOW;
	memcpy(dst, sum, p->ntypes * sizeof(*dst));
	return 0;
}

void profile_keep_timeline(struct profile *p)
{
	if (!p->timeline) {
		p->timeline = xmalloc(sizeof(*p->timeline));
		timeline_init(p->timeline);
	}
}

int profile_add_at(struct profile *p, uint64_t time, uint32_t stack,
		   uint32_t thread, const uint64_t *values)
{
	uint64_t *dst;
	size_t i, idx;

	if (!p->timeline)
		return profile_add(p, stack, thread, values);
	idx = sample_index(p, stack, thread);	/* may move p->values */
	dst = p->values + idx * p->ntypes;
	for (i = 0; i < p->ntypes; i++)
		if (__builtin_add_overflow(dst[i], values[i], &dst[i]))
			dst[i] = UINT64_MAX;
	return timeline_add(p->timeline, time, stack, thread, values, p->ntypes);
}

size_t profile_add_type(struct profile *p, const char *type, const char *unit)
{
	int have = profile_type_index(p, type);
	size_t i, n = p->ntypes;
	uint64_t *v;

	if (have >= 0)
		return (size_t)have;
	if (n == PROFILE_MAX_TYPES)
		BUG("profile_add_type: more than %d sample types", PROFILE_MAX_TYPES);
	/* one more value per sample: spread the old ones out */
	v = xcalloc(p->nsamples ? p->nsamples * (n + 1) : 1, sizeof(*v));
	for (i = 0; i < p->nsamples; i++)
		memcpy(v + i * (n + 1), p->values + i * n, n * sizeof(*v));
	free(p->values);
	p->values = v;
	p->values_alloc = p->nsamples * (n + 1);
	p->ntypes = n + 1;
	profile_set_type(p, n, type, unit);
	return n;
}

void profile_set_type(struct profile *p, size_t i, const char *type, const char *unit)
{
	if (i >= p->ntypes)
		BUG("profile_set_type: no sample type %zu", i);
	p->types[i].type = profile_string(p, type, strlen(type));
	p->types[i].unit = profile_string(p, unit, strlen(unit));
}

int profile_type_index(const struct profile *p, const char *type)
{
	size_t i;

	for (i = 0; i < p->ntypes; i++)
		if (!strcmp(p->types[i].type, type))
			return (int)i;
	return -1;
}

void profile_tidy_name(struct fg_buf *b, const char *name, size_t len)
{
	static const char anon[] = "(anonymous namespace)";
	size_t i, cut = len, from = b->len;
	long depth = 0;		/* a stray closer makes it negative, as inferno */
	char *d;

	for (i = 0; i < len; i++) {
		switch (name[i]) {
		case '<': case '{': case '[':
			depth++;
			break;
		case '>': case '}': case ']': case ')':
			depth--;
			break;
		case '(':
			if (!depth && i && name[i - 1] != '.' &&
			    (len - i < sizeof(anon) - 1 ||
			     memcmp(name + i, anon, sizeof(anon) - 1))) {
				cut = i;
				goto done;
			}
			depth++;
			break;
		default:
			break;
		}
	}
done:
	fg_buf_add(b, name, cut);
	for (d = b->buf + from; d < b->buf + b->len; d++)
		if (*d == ';')
			*d = ':';
		else if ((unsigned char)*d < 0x20 || *d == 0x7f)
			*d = '?';
}

void profile_location_fold(const struct profile *p, uint32_t loc, int first,
			   struct fg_buf *out)
{
	const struct profile_location *l = &p->locations[loc];
	uint32_t k;

	if (!l->nlines) {
		const char *base = l->mapping ? p->mappings[l->mapping - 1].base : NULL;
		size_t n = base ? strlen(base) : 0;

		if (!first)
			fg_buf_addch(out, ';');
		if (!base)
			fg_buf_addstr(out, "[unknown]");
		else if (n >= 2 && base[0] == '[' && base[n - 1] == ']')
			profile_tidy_name(out, base, n);
		else {
			/* "[name]" tidied as a whole, as a name would be */
			char *b = xstrfmt("[%s]", base);

			profile_tidy_name(out, b, n + 2);
			free(b);
		}
		return;
	}
	for (k = l->nlines; k > 0; k--) {
		const char *f = p->lines[l->first_line + k - 1].function;

		if (!first)
			fg_buf_addch(out, ';');
		first = 0;
		if (l->flags & PROFILE_LOC_VERBATIM)
			fg_buf_addstr(out, f);
		else
			profile_tidy_name(out, f, strlen(f));
	}
}

/* The root frame of thread t (id + 1) as view shows it, appended to b. */
static void add_root(const struct profile *p, uint32_t thread,
		     const struct profile_view *view, struct fg_buf *b)
{
	const struct profile_thread *t = &p->threads[thread - 1];

	fg_buf_addstr(b, t->root);
	/* an id a text input did not give (-1) reads "?", as perf prints it */
	if (view->include_pid || view->include_tid) {
		if (t->pid < 0)
			fg_buf_addstr(b, "-?");
		else
			fg_buf_addf(b, "-%d", (int)t->pid);
	}
	if (view->include_tid) {
		if (t->tid < 0)
			fg_buf_addstr(b, "/?");
		else
			fg_buf_addf(b, "/%d", (int)t->tid);
	}
}

static int is_skip_location(const struct profile *p, uint32_t loc,
			    const char *const *skip)
{
	const struct profile_location *l = &p->locations[loc];
	const char *const *s;
	uint32_t k;

	for (k = 0; k < l->nlines; k++)
		for (s = skip; *s; s++)
			if (!strcmp(*s, p->lines[l->first_line + k].function))
				return 1;
	return 0;
}

/*
 * Where a text stack starts when skip (--skip-after) cuts it: the offset
 * of the frame nearest the leaf that has one of the names, SIZE_MAX when
 * that is the first frame, 0 when no frame has.
 */
static size_t text_skip_start(const struct profile_stack *st,
			      const char *const *skip)
{
	const char *text = st->text, *end = text + st->text_len, *f = end;
	const char *const *s;

	for (;;) {
		const char *semi = f > text ? memrchr(text, ';', (size_t)(f - text)) : NULL;
		const char *from = semi ? semi + 1 : text;

		for (s = skip; *s; s++)
			if (strlen(*s) == (size_t)(f - from) &&
			    !memcmp(*s, from, (size_t)(f - from)))
				return from == text ? SIZE_MAX : (size_t)(from - text);
		if (!semi)
			return 0;
		f = semi;
	}
}

/* Is location id the program's code: not the kernel's, not synthetic? */
static int user_location(const struct profile *p, uint32_t id)
{
	const struct profile_location *l = &p->locations[id];

	return !(l->flags & PROFILE_LOC_SYNTHETIC) &&
	       !(l->mapping && p->mappings[l->mapping - 1].kernel);
}

/*
 * What a fold keeps while it goes: the line it makes, and each location's
 * folded name, made on first use (stacks repeat their frames: a pprof
 * profile's 500,000 stacks have some 40,000 locations).
 */
struct fold_scratch {
	struct fg_buf line;
	struct fg_buf names;	/* the names made, one after the other */
	uint32_t *at, *len;	/* location -> its name in names; len
				   UINT32_MAX: not made yet */
};

static void fold_scratch_init(struct fold_scratch *fs, const struct profile *p)
{
	size_t i;

	fg_buf_init(&fs->line, 0);
	fg_buf_init(&fs->names, 0);
	fs->at = xcalloc(p->nlocations + 1, sizeof(*fs->at));
	fs->len = xmalloc(st_mult(p->nlocations + 1, sizeof(*fs->len)));
	for (i = 0; i <= p->nlocations; i++)
		fs->len[i] = UINT32_MAX;
}

static void fold_scratch_release(struct fold_scratch *fs)
{
	fg_buf_release(&fs->line);
	fg_buf_release(&fs->names);
	free(fs->at);
	free(fs->len);
}

/* Append the folded name of location loc to b, after a ';' unless first. */
static void add_location(const struct profile *p, struct fold_scratch *fs,
			 uint32_t loc, int first, struct fg_buf *b)
{
	if (fs->len[loc] == UINT32_MAX) {
		size_t at = fs->names.len;

		profile_location_fold(p, loc, 1, &fs->names);
		if (fs->names.len - at >= UINT32_MAX || at >= UINT32_MAX) {
			/* past 4 GB of names: made each time */
			fs->names.len = at;
			profile_location_fold(p, loc, first, b);
			return;
		}
		fs->at[loc] = (uint32_t)at;
		fs->len[loc] = (uint32_t)(fs->names.len - at);
	}
	if (!first)
		fg_buf_addch(b, ';');
	fg_buf_add(b, fs->names.buf + fs->at[loc], fs->len[loc]);
}

/*
 * Add one stack of thread (id + 1, 0 none) to out as view says; fs is
 * scratch.
 */
static int fold_one(const struct profile *p, const struct profile_view *view,
		    uint32_t stack, uint32_t thread, uint64_t count,
		    uint64_t before, struct fold_scratch *fs, struct stack_table *out)
{
	struct fg_buf *b = &fs->line;
	const struct profile_stack *st = &p->stacks[stack];
	size_t n, j, start = 0;
	const uint32_t *ids = profile_stack_ids(p, stack, &n);
	int root = thread != 0;

	if (view->run && (!thread || p->threads[thread - 1].run != view->run))
		return 0;
	if (st->text) {
		/* written as it came, from the frame --skip-after starts it at */
		size_t from = view->skip_after ? text_skip_start(st, view->skip_after) : 0;

		if (from)
			root = 0;
		if (from == SIZE_MAX)
			from = 0;	/* the outermost frame matched */
		/* the profile's own bytes, not copied, hashed when read */
		if (root && st->root_len && !view->include_pid && !view->include_tid)
			return stack_table_add_ref(out, st->text - st->root_len,
						   st->root_len + st->text_len,
						   st->hash, view->before != 0,
						   before, count);
		if (!root)
			return stack_table_add_ref(out, st->text + from,
						   st->text_len - from,
						   from || st->root_len ?
						   hash_bytes(st->text + from, st->text_len - from) :
						   st->hash,
						   view->before != 0, before, count);
		fg_buf_reset(b);
		add_root(p, thread, view, b);
		fg_buf_addch(b, ';');
		fg_buf_add(b, st->text + from, st->text_len - from);
		goto add;
	}
	/* --skip-after: the match nearest the leaf starts the stack */
	if (view->skip_after)
		for (j = n; j-- > 0;)
			if (is_skip_location(p, ids[j], view->skip_after)) {
				start = j;
				root = 0;
				break;
			}
	fg_buf_reset(b);
	if (root)
		add_root(p, thread, view, b);
	for (j = start; j < n; j++) {
		if (view->user_only && !user_location(p, ids[j]))
			continue;
		add_location(p, fs, ids[j], !root && b->len == 0, b);
	}
add:
	if (view->before)
		return stack_table_add_diff(out, b->buf, b->len, before, count);
	return stack_table_add(out, b->buf, b->len, count);
}

/*
 * A sample the view counts nothing of is left out when it counts in
 * another type (it belongs to another view), kept when it counts in none
 * (a text input's line with a count of 0, kept as given).
 */
static int counts_elsewhere(const uint64_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i])
			return 1;
	return 0;
}

/* An event of the timeline as a fold counts it. */
struct fold_event {
	uint32_t stack, thread;
	uint64_t count, before;
};

/*
 * The next event of the timeline that view counts into *f: 1, 0 at the
 * end, or -FG_ERR_IO.
 */
static int next_counted(const struct profile *p, const struct profile_view *view,
			struct fold_event *f)
{
	struct timeline_event e;
	size_t vi = (size_t)view->value, bi = (size_t)view->before - 1;
	int ret;

	while ((ret = timeline_next(p->timeline, &e)) > 0) {
		/* values of types added after the event are 0 */
		f->count = vi < e.nvalues ? e.values[vi] : 0;
		f->before = view->before && bi < e.nvalues ? e.values[bi] : 0;
		if (!f->count && !f->before && counts_elsewhere(e.values, e.nvalues))
			continue;
		f->stack = e.stack;
		f->thread = e.thread;
		return 1;
	}
	return ret;
}

/*
 * The timeline's events with each thread's together (threads in the
 * order of their first event), in time order within a thread: read once,
 * placed by a counting sort on the thread's rank. The events a fold
 * counts are kept meanwhile, 24 bytes each.
 */
static int fold_by_thread(const struct profile *p, const struct profile_view *view,
			  struct fold_scratch *fs, struct stack_table *out)
{
	struct fold_event f, *ev = NULL, *sorted;
	size_t nev = 0, alloc = 0, i, nranks = 0;
	uint32_t *rank = xcalloc(p->nthreads + 1, sizeof(*rank));
	size_t *start;
	int ret;

	timeline_rewind(p->timeline);
	while ((ret = next_counted(p, view, &f)) > 0) {
		ALLOC_GROW(ev, nev + 1, alloc);
		ev[nev++] = f;
		if (!rank[f.thread])
			rank[f.thread] = (uint32_t)++nranks;
	}
	if (ret < 0) {
		free(ev);
		free(rank);
		return ret;
	}
	start = xcalloc(nranks + 1, sizeof(*start));
	for (i = 0; i < nev; i++)
		start[rank[ev[i].thread]]++;	/* rank r counted at start[r] */
	for (i = 1; i <= nranks; i++)
		start[i] += start[i - 1];	/* start[r]: past rank r's events */
	sorted = xmalloc(st_mult(nev ? nev : 1, sizeof(*sorted)));
	for (i = nev; i-- > 0;)
		sorted[--start[rank[ev[i].thread]]] = ev[i];
	for (i = 0; i < nev && !ret; i++)
		ret = fold_one(p, view, sorted[i].stack, sorted[i].thread,
			       sorted[i].count, sorted[i].before, fs, out);
	free(sorted);
	free(start);
	free(ev);
	free(rank);
	return ret;
}

/* The timeline's events, in order. */
static int fold_timeline(const struct profile *p, const struct profile_view *view,
			 struct fold_scratch *fs, struct stack_table *out)
{
	struct fold_event f;
	int ret;

	if (view->by_thread)
		return fold_by_thread(p, view, fs, out);
	timeline_rewind(p->timeline);
	while ((ret = next_counted(p, view, &f)) > 0) {
		ret = fold_one(p, view, f.stack, f.thread, f.count, f.before, fs, out);
		if (ret)
			return ret;
	}
	return ret;
}

int profile_fold(const struct profile *p, const struct profile_view *view,
		 struct stack_table *out)
{
	struct fold_scratch fs;
	size_t i;
	int ret = 0;

	if (view->value < 0 || (size_t)view->value >= p->ntypes ||
	    view->before < 0 || (size_t)view->before > p->ntypes)
		BUG("profile_fold: bad sample type %d or %d", view->value, view->before);
	if (view->timeline && !p->timeline)
		BUG("profile_fold: the profile kept no timeline");
	fold_scratch_init(&fs, p);
	if (view->timeline) {
		ret = fold_timeline(p, view, &fs, out);
		fold_scratch_release(&fs);
		return ret;
	}
	for (i = 0; i < p->nsamples && !ret; i++) {
		const struct profile_sample *smp = &p->samples[i];
		const uint64_t *v = profile_values(p, i);
		uint64_t before = view->before ? v[view->before - 1] : 0;

		if (!v[view->value] && !before && counts_elsewhere(v, p->ntypes))
			continue;
		ret = fold_one(p, view, smp->stack, smp->thread, v[view->value],
			       before, &fs, out);
	}
	fold_scratch_release(&fs);
	return ret;
}
