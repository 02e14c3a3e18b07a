/*
 * The timeline: see timeline.h.
 *
 * An event is encoded as LEB128 variable-length integers: the zigzag
 * difference of its time from the previous event's, the stack, the
 * thread, the number of values, then each value. No event is longer than
 * MAX_EVENT_BYTES, which lets the reader decode without checking each
 * byte against the end of its buffer once that many are there.
 */
#include "timeline.h"
#include "../lib/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_EVENT_BYTES (10 * (4 + TIMELINE_MAX_VALUES))
#define READ_BLOCK (1u << 20)

void timeline_init(struct timeline *t)
{
	memset(t, 0, sizeof(*t));
	fg_buf_init(&t->mem, 0);
	fg_buf_init(&t->rbuf, 0);
	t->fd = -1;
	t->mem_limit = TIMELINE_MEM_BYTES;
}

void timeline_release(struct timeline *t)
{
	fg_buf_release(&t->mem);
	fg_buf_release(&t->rbuf);
	if (t->fd >= 0)
		close(t->fd);
	memset(t, 0, sizeof(*t));
	t->fd = -1;
}

static void put_varint(struct fg_buf *b, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0;

	do {
		tmp[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			tmp[n] |= 0x80;
		n++;
	} while (v);
	fg_buf_add(b, tmp, n);
}

static uint64_t get_varint(const unsigned char **p)
{
	uint64_t v = 0;
	unsigned shift = 0;
	unsigned char c;

	do {
		c = *(*p)++;
		if (shift < 64)
			v |= (uint64_t)(c & 0x7f) << shift;
		shift += 7;
	} while (c & 0x80);
	return v;
}

/* An unlinked file in $TMPDIR (else /tmp), or -1. */
static int spill_file(void)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
#endif
	path = xstrfmt("%s/flamegraph-timeline.XXXXXX", dir);
	fd = mkstemp(path);
	if (fd >= 0) {
		unlink(path);
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	free(path);
	return fd;
}

/* Write the bytes in memory to the spill file. */
static int spill(struct timeline *t)
{
	size_t done = 0;

	if (t->fd < 0 && (t->fd = spill_file()) < 0)
		return -FG_ERR_IO;
	while (done < t->mem.len) {
		ssize_t n = pwrite(t->fd, t->mem.buf + done, t->mem.len - done,
				   (off_t)(t->spilled + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!n)
				errno = ENOSPC;
			return -FG_ERR_IO;
		}
		done += (size_t)n;
	}
	t->spilled += t->mem.len;
	fg_buf_reset(&t->mem);
	return 0;
}

int timeline_add(struct timeline *t, uint64_t time, uint32_t stack,
		 uint32_t thread, const uint64_t *values, size_t nvalues)
{
	uint64_t delta = time - t->last_time;
	size_t i;

	if (t->error)
		return t->error;
	if (nvalues > TIMELINE_MAX_VALUES)
		BUG("timeline_add: %zu values", nvalues);
	/* zigzag: a small step back is a small number too */
	put_varint(&t->mem, (delta << 1) ^ (uint64_t)((int64_t)delta >> 63));
	put_varint(&t->mem, stack);
	put_varint(&t->mem, thread);
	put_varint(&t->mem, nvalues);
	for (i = 0; i < nvalues; i++)
		put_varint(&t->mem, values[i]);
	t->last_time = time;
	t->nevents++;
	if (t->mem.len >= t->mem_limit && (t->error = spill(t)))
		return t->error;
	return 0;
}

void timeline_rewind(struct timeline *t)
{
	fg_buf_reset(&t->rbuf);
	t->rpos = 0;
	t->roff = 0;
	t->rmem = !t->spilled;
	t->rtime = 0;
}

/* Make at least MAX_EVENT_BYTES available at t->rpos when there are. */
static int fill(struct timeline *t)
{
	while (!t->rmem && t->rbuf.len - t->rpos < MAX_EVENT_BYTES) {
		size_t keep = t->rbuf.len - t->rpos;
		ssize_t n;

		if (t->roff >= t->spilled) {
			/* the file is read: go on with the bytes in memory */
			fg_buf_add(&t->rbuf, t->mem.buf, t->mem.len);
			t->rmem = 1;
			break;
		}
		memmove(t->rbuf.buf, t->rbuf.buf + t->rpos, keep);
		t->rpos = 0;
		fg_buf_setlen(&t->rbuf, keep);
		fg_buf_grow(&t->rbuf, READ_BLOCK);
		n = pread(t->fd, t->rbuf.buf + keep, READ_BLOCK,
			  (off_t)t->roff);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!n)
				errno = EIO;	/* the file is shorter than written */
			return -FG_ERR_IO;
		}
		fg_buf_setlen(&t->rbuf, keep + (size_t)n);
		t->roff += (uint64_t)n;
	}
	return 0;
}

int timeline_next(struct timeline *t, struct timeline_event *e)
{
	const unsigned char *p, *base;
	uint64_t z;
	size_t i, nv;
	int ret;

	if (t->error)
		return t->error;
	if ((ret = fill(t)))
		return ret;
	if (t->rmem && !t->spilled && !t->rbuf.len) {
		/* nothing was spilled: decode the memory in place */
		base = (const unsigned char *)t->mem.buf;
		if (t->rpos >= t->mem.len)
			return 0;
	} else {
		base = (const unsigned char *)t->rbuf.buf;
		if (t->rpos >= t->rbuf.len)
			return 0;
	}
	p = base + t->rpos;
	z = get_varint(&p);
	t->rtime += (z >> 1) ^ (0 - (z & 1));
	e->time = t->rtime;
	e->stack = (uint32_t)get_varint(&p);
	e->thread = (uint32_t)get_varint(&p);
	nv = (size_t)get_varint(&p);
	if (nv > TIMELINE_MAX_VALUES)
		BUG("timeline_next: %zu values", nv);
	e->nvalues = nv;
	for (i = 0; i < nv; i++)
		e->values[i] = get_varint(&p);
	t->rpos = (size_t)(p - base);
	return 1;
}
