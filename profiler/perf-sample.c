#include "perf-sample.h"

struct cursor {
	const unsigned char *p, *end;
	int bad;
};

static uint64_t take_u64(struct cursor *c)
{
	uint64_t v;

	if (c->end - c->p < 8) {
		c->bad = 1;
		c->p = c->end;
		return 0;
	}
	memcpy(&v, c->p, 8);
	c->p += 8;
	return v;
}

static const unsigned char *take(struct cursor *c, uint64_t n)
{
	const unsigned char *p = c->p;

	if ((uint64_t)(c->end - c->p) < n) {
		c->bad = 1;
		c->p = c->end;
		return NULL;
	}
	c->p += n;
	return p;
}

static uint64_t read_format_size(uint64_t rf, uint64_t nr)
{
	uint64_t per = 8 + ((rf & PERF_FORMAT_ID) ? 8 : 0) +
		       ((rf & PERF_FORMAT_LOST) ? 8 : 0);

	if (rf & PERF_FORMAT_GROUP)
		return 8 + ((rf & PERF_FORMAT_TOTAL_TIME_ENABLED) ? 8 : 0) +
		       ((rf & PERF_FORMAT_TOTAL_TIME_RUNNING) ? 8 : 0) + nr * per;
	return per + ((rf & PERF_FORMAT_TOTAL_TIME_ENABLED) ? 8 : 0) +
	       ((rf & PERF_FORMAT_TOTAL_TIME_RUNNING) ? 8 : 0);
}

int perf_sample_parse(const struct perf_format *fmt,
		      const struct perf_event_header *h, struct perf_sample *s)
{
	uint64_t t = fmt->sample_type;
	struct cursor c = {
		(const unsigned char *)(h + 1), (const unsigned char *)h + h->size, 0
	};

	memset(s, 0, sizeof(*s));
	s->period = 1;
	if (h->size < sizeof(*h))
		return -1;
	if (t & PERF_SAMPLE_IDENTIFIER)
		s->id = take_u64(&c);
	if (t & PERF_SAMPLE_IP)
		s->ip = take_u64(&c);
	if (t & PERF_SAMPLE_TID) {
		uint64_t v = take_u64(&c);
		s->pid = (uint32_t)v;
		s->tid = (uint32_t)(v >> 32);
	}
	if (t & PERF_SAMPLE_TIME)
		s->time = take_u64(&c);
	if (t & PERF_SAMPLE_ADDR)
		take_u64(&c);
	if (t & PERF_SAMPLE_ID)
		s->id = take_u64(&c);
	if (t & PERF_SAMPLE_STREAM_ID)
		take_u64(&c);
	if (t & PERF_SAMPLE_CPU)
		s->cpu = (uint32_t)take_u64(&c);
	if (t & PERF_SAMPLE_PERIOD)
		s->period = take_u64(&c);
	if (t & PERF_SAMPLE_READ) {
		uint64_t nr = 0;

		if (fmt->read_format & PERF_FORMAT_GROUP) {
			struct cursor peek = c;
			nr = take_u64(&peek);
			if (nr > 4096)
				return -1;
		}
		take(&c, read_format_size(fmt->read_format, nr));
	}
	if (t & PERF_SAMPLE_CALLCHAIN) {
		uint64_t nr = take_u64(&c);

		if (nr > (uint64_t)(c.end - c.p) / 8)
			return -1;
		s->callchain_nr = nr;
		s->callchain = (const uint64_t *)(const void *)take(&c, nr * 8);
	}
	if (t & PERF_SAMPLE_RAW) {
		uint32_t size;
		const unsigned char *p = take(&c, 4);

		if (!p)
			return -1;
		memcpy(&size, p, 4);
		take(&c, size);
	}
	if (t & PERF_SAMPLE_BRANCH_STACK) {
		uint64_t nr = take_u64(&c);

		if (fmt->branch_sample_type & PERF_SAMPLE_BRANCH_HW_INDEX)
			take_u64(&c);
		if (nr > (uint64_t)(c.end - c.p) / 24)
			return -1;
		take(&c, nr * 24);
	}
	if (t & PERF_SAMPLE_REGS_USER) {
		s->regs_abi = take_u64(&c);
		if (s->regs_abi != PERF_SAMPLE_REGS_ABI_NONE) {
			uint64_t n = (uint64_t)__builtin_popcountll(fmt->regs_user_mask);
			s->regs = (const uint64_t *)(const void *)take(&c, n * 8);
		}
	}
	if (t & PERF_SAMPLE_STACK_USER) {
		s->stack_size = take_u64(&c);
		if (s->stack_size) {
			s->stack = take(&c, s->stack_size);
			s->stack_dyn_size = take_u64(&c);
			if (s->stack_dyn_size > s->stack_size)
				s->stack_dyn_size = s->stack_size;
		}
	}
	/* Later fields (weight, data_src, ...) are not needed. */
	if (c.bad)
		return -1;
	return 0;
}

/*
 * Where the sample_id_all trailer of a non-sample record keeps its field
 * of sample_type bit `field` (PERF_SAMPLE_TID or PERF_SAMPLE_TIME): bytes
 * from the end of the record, or 0 when it does not keep it. The trailer
 * is TID, TIME, ID, STREAM_ID, CPU, IDENTIFIER, each 8 bytes.
 */
static size_t trailer_from_end(const struct perf_format *fmt,
			       const struct perf_event_header *h, uint64_t field)
{
	static const uint64_t order[] = {
		PERF_SAMPLE_TID, PERF_SAMPLE_TIME, PERF_SAMPLE_ID,
		PERF_SAMPLE_STREAM_ID, PERF_SAMPLE_CPU, PERF_SAMPLE_IDENTIFIER,
	};
	uint64_t t = fmt->sample_type;
	size_t i, after = 0;

	if (!fmt->sample_id_all || !(t & field))
		return 0;
	for (i = ARRAY_SIZE(order); i-- > 0 && order[i] != field;)
		if (t & order[i])
			after += 8;
	if (h->size < sizeof(*h) + after + 8)
		return 0;
	return after + 8;
}

int perf_record_time(const struct perf_format *fmt,
		     const struct perf_event_header *h, uint64_t *time)
{
	size_t from_end = trailer_from_end(fmt, h, PERF_SAMPLE_TIME);

	if (!from_end)
		return -1;
	memcpy(time, (const unsigned char *)h + h->size - from_end, 8);
	return 0;
}

int perf_record_thread(const struct perf_format *fmt,
		       const struct perf_event_header *h, uint32_t *pid, uint32_t *tid)
{
	size_t from_end = trailer_from_end(fmt, h, PERF_SAMPLE_TID);
	uint32_t v[2];

	if (!from_end)
		return -1;
	memcpy(v, (const unsigned char *)h + h->size - from_end, 8);
	*pid = v[0];
	*tid = v[1];
	return 0;
}

/* Stack bytes a trimmed copy keeps: dyn_size rounded up to 8. */
static size_t trim_keep(const struct perf_sample *s)
{
	uint64_t keep = (s->stack_dyn_size + 7) & ~7ULL;

	return (size_t)(keep < s->stack_size ? keep : s->stack_size);
}

size_t perf_sample_trimmed_size(const struct perf_event_header *h,
				const struct perf_sample *s)
{
	if (!s->stack || s->stack_dyn_size >= s->stack_size)
		return h->size;
	return h->size - (size_t)s->stack_size + trim_keep(s);
}

void perf_sample_trim(const struct perf_event_header *h,
		      const struct perf_sample *s, void *out)
{
	const unsigned char *rec = (const unsigned char *)h;
	unsigned char *o = out;
	size_t head, keep, tail_off, tail;
	uint64_t sz;

	if (!s->stack || s->stack_dyn_size >= s->stack_size) {
		memcpy(out, h, h->size);
		return;
	}
	keep = trim_keep(s);
	head = (size_t)(s->stack - rec);	/* up to the stack bytes */
	tail_off = head + (size_t)s->stack_size;
	tail = h->size - tail_off;		/* dyn_size and later fields */
	sz = keep;
	memcpy(o, rec, head);
	memcpy(o + head - 8, &sz, 8);		/* the stack size field */
	memcpy(o + head, s->stack, keep);
	memcpy(o + head + keep, rec + tail_off, tail);
	((struct perf_event_header *)out)->size = (uint16_t)(head + keep + tail);
}

uint64_t perf_sample_reg(const struct perf_format *fmt,
			 const struct perf_sample *s, int bit)
{
	uint64_t mask = fmt->regs_user_mask;

	if (!s->regs || !(mask & (1ULL << bit)))
		return 0;
	return s->regs[__builtin_popcountll(mask & ((1ULL << bit) - 1))];
}
