#!/bin/sh
# Makes the two local images that deploy/container/Containerfile builds from, without any container registry:
#
#   localhost/intake-base:bookworm  a minimal Debian 12 root filesystem (debootstrap --variant=minbase),
#                                   security updates applied, apt lists, caches, docs, man pages stripped
#   localhost/intake-jdk:25         that base plus a JDK 25 at /opt/java/openjdk (JAVA_HOME), the JDK the
#                                   Containerfile's jlink stage links the runtime from
#
# Usage (as root; needs debootstrap and buildah from Debian, and a JDK 25 on this machine):
#   deploy/container/make-base.sh [--force] [--base-only]
#
# Each image that already exists is kept unless --force. Settings, by environment:
#   MIRROR           Debian mirror for debootstrap and the image's apt sources; default: the first Debian URI
#                    this machine's apt uses (/etc/apt/sources.list.d/*.sources, /etc/apt/sources.list)
#   SECURITY_MIRROR  default: the machine's debian-security URI, else http://security.debian.org/debian-security
#   JDK_HOME         the JDK copied into intake-jdk; default /usr/lib/jvm/temurin-25-jdk-amd64
#   BASE_TAG         default localhost/intake-base:bookworm
#   JDK_TAG          default localhost/intake-jdk:25
#   STORAGE_DRIVER   containers/storage driver for buildah/podman (default: theirs, overlay here; vfs works too)
set -eu

FORCE=0
BASE_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    --base-only) BASE_ONLY=1 ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "make-base.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

BASE_TAG=${BASE_TAG:-localhost/intake-base:bookworm}
JDK_TAG=${JDK_TAG:-localhost/intake-jdk:25}
JDK_HOME=${JDK_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
SUITE=bookworm
# buildah and podman read STORAGE_DRIVER themselves; nothing here changes /etc/containers.
[ -n "${STORAGE_DRIVER:-}" ] && export STORAGE_DRIVER

log() { echo "make-base: $*" >&2; }

# The URIs of this machine's apt sources, deb822 (.sources) and one-line (.list) formats alike.
apt_uris() {
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && sed -n 's/^URIs:[[:space:]]*//p' "$f" | tr ' ' '\n'
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] && sed -n 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\).*/\2/p' "$f"
  done
  return 0
}
if [ -z "${MIRROR:-}" ]; then
  MIRROR=$(apt_uris | grep -E '/debian/?$' | head -n 1 || true)
  MIRROR=${MIRROR:-http://deb.debian.org/debian}
fi
if [ -z "${SECURITY_MIRROR:-}" ]; then
  SECURITY_MIRROR=$(apt_uris | grep -E '/debian-security/?$' | head -n 1 || true)
  SECURITY_MIRROR=${SECURITY_MIRROR:-http://security.debian.org/debian-security}
fi

exists() { buildah inspect --type image "$1" >/dev/null 2>&1; }

make_base() {
  if exists "$BASE_TAG" && [ "$FORCE" = 0 ]; then log "$BASE_TAG exists (--force to remake)"; return; fi
  command -v debootstrap >/dev/null || { log "debootstrap missing: apt-get install debootstrap"; exit 1; }
  work=$(mktemp -d /var/tmp/intake-base.XXXXXX)
  rootfs=$work/rootfs
  trap 'umount "$rootfs/proc" 2>/dev/null || true; rm -rf "$work"' EXIT
  log "debootstrap --variant=minbase $SUITE from $MIRROR"
  debootstrap --variant=minbase "$SUITE" "$rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }

  # The image's own apt sources: the same mirror, with updates and security, so that derived images can
  # apt-get install (after an apt-get update) and so that the security updates go in now.
  rm -f "$rootfs/etc/apt/sources.list"
  cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY_MIRROR
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # As Debian's own slim images do: no docs, man pages or translations from later installs either.
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/intake-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
  cat >"$rootfs/etc/apt/apt.conf.d/intake-slim" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
EOF
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
  mount -t proc proc "$rootfs/proc"
  log "security and point-release updates"
  chroot "$rootfs" sh -c 'export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get -qq -y upgrade && apt-get clean' \
    >"$work/upgrade.log" 2>&1 || { tail -n 30 "$work/upgrade.log" >&2; exit 1; }
  umount "$rootfs/proc"

  log "stripping caches, logs, docs"
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/cache/debconf/*-old \
    "$rootfs"/var/log/* "$rootfs"/tmp/* "$rootfs"/var/tmp/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
    "$rootfs"/usr/share/locale/* "$rootfs"/usr/share/lintian/*
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
  : >"$rootfs/etc/resolv.conf"          # the container runtime writes its own
  rm -f "$rootfs/etc/hostname" "$rootfs/etc/machine-id"
  : >"$rootfs/etc/machine-id"

  log "importing $(du -sh "$rootfs" | cut -f1) as $BASE_TAG"
  ctr=$(buildah from scratch)
  mnt=$(buildah mount "$ctr")
  tar -C "$rootfs" -cf - . | tar -C "$mnt" -xpf -
  buildah umount "$ctr" >/dev/null
  buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd /bin/bash \
    --os linux --arch amd64 \
    --label org.opencontainers.image.title=intake-base \
    --label org.opencontainers.image.description="Debian $SUITE minbase, made by deploy/container/make-base.sh" \
    --label org.opencontainers.image.base.name="debootstrap:$SUITE" "$ctr"
  old=$(buildah inspect --type image --format '{{.FromImageID}}' "$BASE_TAG" 2>/dev/null || true)
  buildah commit --rm -q "$ctr" "$BASE_TAG" >/dev/null
  [ -z "$old" ] || buildah rmi "$old" >/dev/null 2>&1 || true   # the one replaced, unless still in use
  rm -rf "$work"
  trap - EXIT
  log "made $BASE_TAG"
}

make_jdk() {
  if exists "$JDK_TAG" && [ "$FORCE" = 0 ]; then log "$JDK_TAG exists (--force to remake)"; return; fi
  [ -x "$JDK_HOME/bin/jlink" ] || { log "no JDK at $JDK_HOME (set JDK_HOME)"; exit 1; }
  # The same layout as the eclipse-temurin images, so that JDK_IMAGE=eclipse-temurin:25-jdk from a mirror
  # works in the Containerfile just as this one does.
  ctr=$(buildah from "$BASE_TAG")
  mnt=$(buildah mount "$ctr")
  mkdir -p "$mnt/opt/java/openjdk"
  cp -a "$JDK_HOME/." "$mnt/opt/java/openjdk/"
  # Links that point outside the JDK (a system cacerts, say) would dangle in the image: copy their targets.
  find "$mnt/opt/java/openjdk" -type l | while read -r link; do
    target=$(readlink "$link")
    case "$target" in
      /*) rm "$link"; cp -L "$target" "$link"; log "copied ${link#"$mnt"} from $target" ;;
    esac
  done
  buildah umount "$ctr" >/dev/null
  buildah config --env JAVA_HOME=/opt/java/openjdk \
    --env PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --label org.opencontainers.image.title=intake-jdk \
    --label org.opencontainers.image.description="$BASE_TAG with the JDK of $JDK_HOME ($("$JDK_HOME/bin/java" -version 2>&1 | tail -n 1))" \
    "$ctr"
  old=$(buildah inspect --type image --format '{{.FromImageID}}' "$JDK_TAG" 2>/dev/null || true)
  buildah commit --rm -q "$ctr" "$JDK_TAG" >/dev/null
  [ -z "$old" ] || buildah rmi "$old" >/dev/null 2>&1 || true
  log "made $JDK_TAG"
}

make_base
[ "$BASE_ONLY" = 1 ] || make_jdk
buildah images --format '{{.Name}}:{{.Tag}} {{.Size}}' | grep -E "^($BASE_TAG|$JDK_TAG) " >&2 || true
