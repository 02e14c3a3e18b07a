#ifndef FG_CLOCK_H
#define FG_CLOCK_H

/*
 * The one clock of the project: monotonic time (CLOCK_MONOTONIC, not
 * changed by setting the date), for durations such as the --verbose
 * timings and progress delays, and the clock the recorder asks the kernel
 * to stamp records with (so record times and fg_now_ns() compare). Only
 * differences between two readings mean anything. Thread-safe.
 *
 * fg_wall_ns() is the date (CLOCK_REALTIME), for the start time a profile
 * records, never for durations.
 */

#include "common.h"

#include <time.h>

/* Nanoseconds of the monotonic clock. */
static inline uint64_t fg_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Nanoseconds since 1970 (the date, which may jump). */
static inline uint64_t fg_wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The same in milliseconds, with the fraction. */
static inline double fg_now_ms(void)
{
	return (double)fg_now_ns() / 1e6;
}

#endif
