#!/usr/bin/env bash
# Base images for the deployment test (npm run test:deploy). Where Docker Hub answers, the real
# images are pulled. Where no registry is reachable (these build machines), stand-ins with the
# same names are built locally from Debian: a debootstrap'ed bookworm, plus the machine's own Node
# (node:20-bookworm-slim), Debian's postgresql-15 (postgres:15-bookworm) or redis-server
# (redis:7-bookworm), each with the behaviour of the official image that docker-compose.yml uses.
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '== %s\n' "$*"; }

have() { docker image inspect "$1" >/dev/null 2>&1; }

# One try at the registry per image, with a short timeout: offline machines answer at once.
pull() { timeout 60 docker pull -q "$1" >/dev/null 2>&1; }

base() {
  have local/bookworm:base && return
  local mirror directory
  mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  directory=$(mktemp -d)
  log "debootstrap bookworm from $mirror"
  debootstrap --variant=minbase bookworm "$directory" "$mirror" >/dev/null
  tar -C "$directory" -c . | docker import - local/bookworm:base >/dev/null
  rm -rf "$directory"
}

node_image() {
  have node:20-bookworm-slim && return
  pull node:20-bookworm-slim && return
  base
  log 'stand-in node:20-bookworm-slim (this machine'"'"'s Node.js and npm)'
  local context
  context=$(mktemp -d)
  cp stand-ins/node/Dockerfile "$context/"
  cp "$(readlink -f "$(command -v node)")" "$context/node"
  cp -r "$(npm root -g)/npm" "$context/npm"
  mkdir "$context/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$context/ca-certificates/" 2>/dev/null || true
  docker build -q -t node:20-bookworm-slim "$context" >/dev/null 2>&1
  rm -rf "$context"
}

# A stand-in carries the hash of its folder as a label, so a changed stand-in is rebuilt; a real
# image (pulled: it has a registry digest) is kept as it is.
stand_in_hash() { tar -C "stand-ins/$1" --sort=name --mtime=@0 --owner=0 --group=0 -c . | sha256sum | cut -c1-16; }
pulled() { [ "$(docker image inspect -f '{{ len .RepoDigests }}' "$1" 2>/dev/null)" != 0 ]; }
built_hash() { docker image inspect -f '{{ index .Config.Labels "helpdesk.stand-in" }}' "$1" 2>/dev/null; }

service_image() {
  local name=$1 folder=$2 hash
  hash=$(stand_in_hash "$folder")
  if have "$name"; then
    if pulled "$name" || [ "$(built_hash "$name")" = "$hash" ]; then return; fi
  else
    pull "$name" && return
  fi
  base
  log "stand-in $name (Debian's packages)"
  docker build -q --label "helpdesk.stand-in=$hash" -t "$name" "stand-ins/$folder" >/dev/null 2>&1
}

node_image
service_image postgres:15-bookworm postgres
service_image redis:7-bookworm redis
log 'base images ready'
