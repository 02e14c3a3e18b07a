#ifndef FG_SPEEDSCOPE_H
#define FG_SPEEDSCOPE_H

/*
 * speedscope's file format (https://www.speedscope.app/file-format-schema.json):
 * one "sampled" profile per thread, named "comm (tid)", its samples in
 * time order when the profile kept a timeline, frames shared.
 *
 * Frames are named as the folded output names them (profile_location_fold():
 * tidied names, "[file]" or "[unknown]" for a location nothing names, a text
 * input's names as given); a location with an inline chain is several
 * frames, outermost first. One frame per distinct (name, source file), with
 * the lowest line the profile saw in it (the nearest it knows to where the
 * function starts). Strings are escaped for JSON, bytes that are not UTF-8
 * replaced with U+FFFD, so the document is valid JSON whatever the names
 * hold. Not thread-safe; p changes only where its text stacks are resolved.
 */

#include "../lib/common.h"
#include "../lib/buf.h"
#include "profile.h"

/*
 * Write p as a speedscope JSON document to out, value type `value` (an
 * index of p->types) as the weights; name is the document's name (the
 * command, or the input file; NULL: "profile"), and the name of the one
 * profile of samples without a thread (text inputs).
 *
 * With a timeline (p->timeline), every event is a sample, each thread's in
 * the order of the timeline (time order); without, every sample of p, in
 * p's order. As the folded output does, a sample that counts nothing of
 * type `value` but counts in another type is left out; a thread with no
 * sample left has no profile (a document with none has one empty profile).
 * The unit is the type's when speedscope knows it ("nanoseconds",
 * "bytes", ...), else "none"; endValue - startValue is the sum of the
 * weights, and startValue is 0 but for a timeline in nanoseconds, where it
 * is the time from the profile's first event to the thread's first sample.
 *
 * Text stacks are resolved first (profile_resolve_text()). Output goes
 * through a buffer of its own, written to out with fwrite(). Returns 0,
 * or -FG_ERR_IO with a message in err, which may be NULL (out could not
 * be written, or the timeline could not be read back; what was written is
 * then incomplete).
 */
int speedscope_write(struct profile *p, int value, const char *name,
		     FILE *out, struct fg_buf *err);

#endif
