#!/bin/sh
# go-pprof.sh ARGS...: go tool pprof on our own files alone (no
# symbolizing, no network), with a home and caches of its own in a
# directory under $TMP that is removed after; its exit status.
d=$(mktemp -d "${TMP:-/tmp}/go.XXXXXX") || exit 1
HOME=$d GOCACHE=$d/cache GOPATH=$d/path GOFLAGS= GOPROXY=off GOTOOLCHAIN=local \
	PPROF_TMPDIR=$d go tool pprof -symbolize=none "$@"
st=$?
rm -rf "$d"
exit $st
