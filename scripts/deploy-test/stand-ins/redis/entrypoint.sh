#!/bin/sh
# As the official image's docker-entrypoint.sh: a `redis-server …` command runs with
# `--protected-mode no` (the container network is the boundary), anything else runs as given.
set -e
if [ "${1#-}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ]; then
  shift
  set -- redis-server "$@" --protected-mode no
fi
exec "$@"
