#ifndef FG_STACKS_H
#define FG_STACKS_H

/*
 * struct stack_table: the folded stack table, the one interface between
 * the profiler/collapsers and the renderer. Each entry is a stack
 * "root;child;...;leaf" with a count (and, for differential input, the
 * count of the "before" profile).
 *
 * In merge mode (the default) adding a stack that is already present adds
 * to its count, and memory grows with the number of distinct stacks, not
 * with the number of additions. Without merging (flame charts and --no-sort
 * input, where the order of lines matters) every addition is a new entry,
 * unless it is the stack of the entry just before (which the graph would
 * draw as one anyway).
 * Entries keep the order of their first addition until stack_table_sort().
 *
 * The table owns copies of the stack strings (in its arena, freed by
 * stack_table_release()). A merging table indexes its entries by
 * hash_bytes() of the stack in a struct hash_slots (lib/hash.h). Not
 * thread-safe.
 */

#include "common.h"
#include "arena.h"
#include "hash.h"

struct stack_entry {
	const char *stack;	/* not NUL-terminated: use len */
	size_t len;
	uint64_t count;		/* the count; the "after" count of a diff */
	uint64_t before;	/* differential input only: first column */
	uint64_t hash;		/* hash_bytes(stack, len) */
};

struct stack_table {
	struct stack_entry *v;
	size_t nr, alloc;
	struct hash_slots slots;	/* merge only: kept at most 3/4 full */
	struct arena strings;	/* the stacks, not NUL-terminated */
	int merge;
	int has_diff;		/* some entry came with two counts */
	uint64_t total;		/* sum of counts (saturating) */
};

void stack_table_init(struct stack_table *t, int merge);
void stack_table_release(struct stack_table *t);

/*
 * Add count to stack (len bytes, need not be NUL-terminated). Returns 0,
 * or -FG_ERR_COUNT_OVERFLOW when the stack's count would overflow (the
 * table is unchanged then).
 */
int stack_table_add(struct stack_table *t, const char *stack, size_t len,
		    uint64_t count);

/* Same, for a differential line "stack before after". */
int stack_table_add_diff(struct stack_table *t, const char *stack, size_t len,
			 uint64_t before, uint64_t after);

/*
 * stack_table_add() (or, with diff, stack_table_add_diff()) of a stack
 * whose bytes stay valid as long as the table: they are not copied (a
 * profile's text stacks, folded as they came), and whose hash_bytes() the
 * caller knows already (hash).
 */
int stack_table_add_ref(struct stack_table *t, const char *stack, size_t len,
			uint64_t hash, int diff, uint64_t before, uint64_t count);

/*
 * The entry of stack in a merging table, or NULL. Valid until the table
 * changes.
 */
const struct stack_entry *stack_table_find(const struct stack_table *t,
					   const char *stack, size_t len);

/* Sort entries by stack, as byte strings (memcmp order, shorter first). */
void stack_table_sort(struct stack_table *t);

/* Reverse the order of entries. */
void stack_table_reverse(struct stack_table *t);

/*
 * Write "stack count" lines (or "stack before after" when has_diff) in the
 * current order. Returns 0 or -FG_ERR_IO (errno kept).
 */
int stack_table_write(const struct stack_table *t, FILE *out);

/* Compare two stacks as byte strings. */
int stack_cmp(const char *a, size_t alen, const char *b, size_t blen);

#endif
