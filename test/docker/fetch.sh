#!/usr/bin/env bash
# Fetches a private Docker for the Docker proof suite (test/docker.test.ts), REFERENCE §8b:
# Debian 12 has no BuildKit with `env=` secret mounts, but the same mirror's `sid` suite has
# Docker 28 (dockerd with BuildKit, containerd, buildx, compose). Its packages are downloaded with
# a private apt state and unpacked into a private root; nothing is installed into the system but
# bookworm's `runc` (sid's runc needs a newer glibc). Idempotent: a second run does nothing.
#
#   test/docker/fetch.sh [DIR]     DIR: $UNBAKE_DOCKER_ROOT, else /var/cache/unbake-docker
#
# The suite finds the root at the same place (DIR/root). Runs as root (CI does).
set -euo pipefail

dir="${1:-${UNBAKE_DOCKER_ROOT:-/var/cache/unbake-docker}}"
root="$dir/root"
packages=(docker.io docker-cli containerd docker-buildx docker-compose tini-static)

if [ "$(dpkg-query -W -f='${Status}' runc 2>/dev/null || true)" != "install ok installed" ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends runc
fi

if [ -f "$dir/versions" ] && [ -x "$root/usr/sbin/dockerd" ] && [ -x "$root/usr/bin/containerd" ] \
  && [ -x "$root/usr/libexec/docker/cli-plugins/docker-buildx" ] && [ -x "$root/usr/libexec/docker/cli-plugins/docker-compose" ]; then
  echo "docker root already fetched: $root"
  cat "$dir/versions"
  exit 0
fi

# The mirror and keyring of the system's own sources, with the suite `sid`.
sources=/etc/apt/sources.list.d/debian.sources
uri="$(awk '/^URIs:/ {print $2; exit}' "$sources" 2>/dev/null || true)"
keyring="$(awk '/^Signed-By:/ {print $2; exit}' "$sources" 2>/dev/null || true)"
uri="${uri:-http://deb.debian.org/debian}"
keyring="${keyring:-/usr/share/keyrings/debian-archive-keyring.gpg}"

apt_dir="$dir/apt"
rm -rf "$apt_dir" "$root" "$dir/debs"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$dir/debs" "$root"
printf 'Types: deb\nURIs: %s\nSuites: sid\nComponents: main\nSigned-By: %s\n' "$uri" "$keyring" > "$apt_dir/sid.sources"
apt_opts=(
  -o "Dir::Etc::SourceList=/dev/null"
  -o "Dir::Etc::SourceParts=$apt_dir/parts"
  -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache=$apt_dir/cache"
  -o "Dir::State::status=/dev/null"
  -o "APT::Architecture=$(dpkg --print-architecture)"
  -o "APT::Sandbox::User=root"
)
# deb822 sources are only read from a parts folder
mkdir -p "$apt_dir/parts" && mv "$apt_dir/sid.sources" "$apt_dir/parts/sid.sources"
apt-get "${apt_opts[@]}" update
(cd "$dir/debs" && apt-get "${apt_opts[@]}" download "${packages[@]}")
: > "$dir/versions.tmp"
for deb in "$dir"/debs/*.deb; do
  dpkg-deb -x "$deb" "$root"
  dpkg-deb -W --showformat='${Package} ${Version}\n' "$deb" >> "$dir/versions.tmp"
done
rm -rf "$dir/debs" "$apt_dir"
# The binaries must run on this system's glibc (sid's runc does not, hence bookworm's).
for bin in usr/sbin/dockerd usr/bin/containerd usr/bin/docker; do
  "$root/$bin" --version > /dev/null || { echo "$root/$bin does not run here" >&2; exit 1; }
done
mv "$dir/versions.tmp" "$dir/versions"
echo "docker root fetched: $root"
cat "$dir/versions"
