#include "profile-opts.h"
#include "../lib/outfile.h"

void profile_opts_init(struct fg_profile_opts *p)
{
	memset(p, 0, sizeof(*p));
	p->event = FG_DEFAULT_EVENT;
	p->freq = FG_DEFAULT_FREQ;
	p->ring_kb = FG_DEFAULT_RING_KB;
	p->call_graph_arg = FG_DEFAULT_CALL_GRAPH;
	p->call_graph = CG_DWARF;
	p->stack_size = FG_DEFAULT_STACK_SIZE;
	p->repeat = FG_DEFAULT_REPEAT;
}

void profile_opts_release(struct fg_profile_opts *p)
{
	fg_strlist_release(&p->pid_args);
	FREE_AND_NULL(p->pids);
	p->npids = 0;
}

int opt_owner_cb(const struct fg_option *opt, const char *arg)
{
	unsigned long uid, gid;
	char *end;

	(void)opt;
	uid = strtoul(arg, &end, 10);
	if (end == arg || *end != ':')
		return error("invalid value '%s' for '--owner': expected UID:GID", arg);
	gid = strtoul(end + 1, &end, 10);
	if (*end)
		return error("invalid value '%s' for '--owner': expected UID:GID", arg);
	outfile_set_owner((uid_t)uid, (gid_t)gid);
	return 0;
}

int opt_freq_cb(const struct fg_option *opt, const char *arg)
{
	struct fg_profile_opts *p = opt->value;
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (!*arg || *end || errno || !v || v > 100000 || arg[0] == '-')
		return error("invalid value '%s' for '--freq': expected 1 to 100000 samples per second",
			     arg);
	p->freq = (unsigned)v;
	p->freq_set = 1;
	return 0;
}

/* --call-graph: "fp", "dwarf" or "dwarf,BYTES" (rounded down to 8s). */
static int parse_call_graph(const char *s, enum record_callgraph *cg,
			    unsigned *stack_size)
{
	if (!strcmp(s, "fp")) {
		*cg = CG_FP;
		*stack_size = 0;
		return 0;
	}
	if (!strcmp(s, "dwarf")) {
		*cg = CG_DWARF;
		*stack_size = FG_DEFAULT_STACK_SIZE;
		return 0;
	}
	if (starts_with(s, "dwarf,")) {
		char *end;
		unsigned long v = strtoul(s + 6, &end, 10);

		if (*end || !s[6] || v < FG_MIN_STACK_SIZE || v > FG_MAX_STACK_SIZE)
			return error("invalid value '%s' for '--call-graph': the stack size must be "
				     FG_STR(FG_MIN_STACK_SIZE) " to " FG_STR(FG_MAX_STACK_SIZE)
				     " bytes", s);
		*cg = CG_DWARF;
		*stack_size = (unsigned)v & ~7u;
		return 0;
	}
	return error("invalid value '%s' for '--call-graph': expected dwarf[,BYTES] or fp", s);
}

/* -p values, each "PID[,PID...]", into *pids (malloc'd) and *n. */
static int parse_pids(const struct fg_strlist *l, pid_t **pids, size_t *n)
{
	size_t i, alloc = 0;

	*n = 0;
	for (i = 0; i < l->nr; i++) {
		const char *p = l->v[i];

		while (*p) {
			char *end;
			long v = strtol(p, &end, 10);

			if (end == p || v <= 0 || v > INT_MAX || (*end && *end != ','))
				return error("invalid value '%s' for '--pid': expected process ids separated by commas",
					     l->v[i]);
			ALLOC_GROW(*pids, *n + 1, alloc);
			(*pids)[(*n)++] = (pid_t)v;
			p = *end ? end + 1 : end;
		}
	}
	/* "-p ''": what pgrep -d, prints when nothing matches */
	if (!*n)
		return error("invalid value '%s' for '--pid': no process id given "
			     "(is the program running?)", l->nr ? l->v[0] : "");
	return 0;
}

/* A duration with its unit (ns, us, ms, s), or 0, into nanoseconds. */
static int parse_duration_ns(const char *opt, const char *s, uint64_t *ns)
{
	static const struct { const char *unit; double ns; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
	};
	char *end;
	double v;
	size_t i;

	errno = 0;
	v = strtod(s, &end);
	if (end != s && !errno && v == 0 && !*end) {
		*ns = 0;
		return 0;
	}
	for (i = 0; end != s && !errno && v >= 0 && v < 1e9 && i < ARRAY_SIZE(units); i++)
		if (!strcmp(end, units[i].unit)) {
			*ns = (uint64_t)(v * units[i].ns + 0.5);
			return 0;
		}
	return error("invalid value '%s' for '--%s': expected a duration such as "
		     "500ns, 10us, 2ms or 1s", s, opt);
}

/* --off-cpu, --wall and their settings, into p->mode and p->off_cpu_min_ns. */
static int settle_time_mode(struct fg_profile_opts *p)
{
	const char *mode = p->wall ? "--wall" : "--off-cpu";

	p->mode = p->wall ? RECORD_WALL : p->off_cpu ? RECORD_OFF_CPU : RECORD_CPU;
	p->off_cpu_min_ns = 0;
	if (p->off_cpu && p->wall)
		return error("--off-cpu and --wall cannot be used together (--wall "
			     "includes the time off the CPU)");
	if (p->mode == RECORD_CPU) {
		if (p->off_cpu_preempted)
			return error("--off-cpu-include-preempted needs --off-cpu");
		if (p->off_cpu_threshold && strcmp(p->off_cpu_threshold, "0"))
			return error("--off-cpu-threshold needs --off-cpu or --wall");
		return 0;
	}
	if (p->off_cpu_preempted && p->wall)
		return error("--off-cpu-include-preempted needs --off-cpu (--wall "
			     "always counts preempted time)");
	if (p->off_cpu_threshold &&
	    parse_duration_ns("off-cpu-threshold", p->off_cpu_threshold, &p->off_cpu_min_ns))
		return -1;
	if (p->custom_cmd || p->compression || p->perfdata)
		return error("%s works with the native engine only, not with %s", mode,
			     p->perfdata ? "--perfdata" : p->custom_cmd ? "-c" :
			     "--compression-level");
	if (p->off_cpu && strcmp(p->event, FG_DEFAULT_EVENT))
		return error("--off-cpu samples threads as they leave the CPU: "
			     "it cannot be used with -e %s", p->event);
	if (p->wall && strcmp(p->event, "cpu-clock") && strcmp(p->event, "task-clock"))
		return error("--wall weighs CPU samples by their time: -e must be "
			     "cpu-clock or task-clock, not %s", p->event);
	return 0;
}

int profile_opts_finish(struct fg_profile_opts *p)
{
	if (parse_call_graph(p->call_graph_arg, &p->call_graph, &p->stack_size))
		return -1;
	if (settle_time_mode(p))
		return -1;
	if (p->repeat < 1 || p->repeat > FG_MAX_REPEAT) {
		error("invalid value '%u' for '--repeat': expected a number of runs "
		      "from 1 to %d", p->repeat, FG_MAX_REPEAT);
		return -1;
	}
	if (p->repeat > 1 && p->pid_args.nr) {
		error("'--repeat' runs a command again: it cannot be used with '--pid'");
		return -1;
	}
	FREE_AND_NULL(p->pids);
	p->npids = 0;
	if (p->pid_args.nr && parse_pids(&p->pid_args, &p->pids, &p->npids)) {
		FREE_AND_NULL(p->pids);
		p->npids = 0;
		return -1;
	}
	return 0;
}
