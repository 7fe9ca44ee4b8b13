#!/usr/bin/env bash
# Run a command in a fresh clone of this repository's HEAD on a brand-new Debian 12 (bookworm):
# Debian's minimal base plus python3, make, git and ca-certificates, exactly what the README asks a
# machine to start with. CI runs `make test` this way (.ci/run), so an install step that only worked
# because something was already on the machine fails CI.
#
#   scripts/fresh-debian.sh                  # make test
#   scripts/fresh-debian.sh make demo-check  # any command, run in the clone's root
#   FRESH_KEEP=1 scripts/fresh-debian.sh ... # keep the root afterwards (its path is printed)
#
# Needs root and debootstrap (installed with apt-get when missing). The bare Debian base is built
# once per machine with debootstrap (about a minute) and kept in $FRESH_DEBIAN_CACHE
# (/var/tmp/mobilise-debian-base); every run starts from a new copy of it, so nothing the project
# installs is ever cached.
set -euo pipefail
[[ $(id -u) == 0 ]] || { echo "fresh-debian: run as root (debootstrap and chroot need it)" >&2; exit 2; }
cmd=${*:-make test}
src=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
cache=${FRESH_DEBIAN_CACHE:-/var/tmp/mobilise-debian-base}
base=$cache/bookworm
ca=/etc/ssl/certs/ca-certificates.crt
# The machine's own Debian mirror when it has one configured, otherwise Debian's.
mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
mirror=${mirror:-http://deb.debian.org/debian}

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9  # one base build at a time
if [[ ! -x $base/usr/bin/python3 ]]; then
  command -v debootstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
  rm -rf "$base.tmp"
  mkdir -p "$base.tmp"
  echo "fresh-debian: building the Debian 12 base in $base (once per machine)"
  debootstrap --variant=minbase bookworm "$base.tmp" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { echo "fresh-debian: debootstrap failed, see $cache/debootstrap.log" >&2; exit 2; }
  cat >"$base.tmp/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror%/debian}/debian-security bookworm-security main
EOF
  cp /etc/resolv.conf "$base.tmp/etc/resolv.conf"
  chroot "$base.tmp" /bin/sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 make git ca-certificates >/dev/null'
  rm -rf "$base"
  mv "$base.tmp" "$base"
fi
flock -u 9

root=$(mktemp -d /var/tmp/mobilise-fresh.XXXXXX)
cleanup() {
  # Stop anything still running inside the root (a server a package started, say) before unmounting.
  for proc in /proc/[0-9]*; do
    [[ $(readlink "$proc/root" 2>/dev/null) == "$root" ]] && kill -9 "${proc#/proc/}" 2>/dev/null
  done
  for m in dev/shm dev/pts dev sys proc; do umount -l "$root/$m" 2>/dev/null || true; done
  if [[ -n ${FRESH_KEEP:-} ]]; then echo "fresh-debian: kept $root"; else rm -rf --one-file-system "$root"; fi
}
trap cleanup EXIT
cp -a "$base/." "$root/"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# This machine's trust store, so that the package registries it reaches are trusted as on the host.
[[ -f $ca ]] && cp "$ca" "$root/etc/ssl/certs/ca-certificates.crt"
git clone -q "$src" "$root/srv/mobilise"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mount -t tmpfs -o size=2g tmpfs "$root/dev/shm"
echo "fresh-debian: $(chroot "$root" python3 --version) on Debian $(cat "$root/etc/debian_version"), no pip, no Node.js; '$cmd' in a clone of $(git -C "$src" rev-parse --short HEAD)"
start=$SECONDS
set +e
chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb CI=${CI:-} \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  SSL_CERT_FILE=$ca REQUESTS_CA_BUNDLE=$ca PIP_CERT=$ca NODE_EXTRA_CA_CERTS=$ca \
  /bin/bash -c "cd /srv/mobilise && $cmd"
rc=$?
echo "fresh-debian: '$cmd' exited $rc after $((SECONDS - start)) s"
exit $rc
