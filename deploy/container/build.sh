#!/bin/sh
# Builds the Intake image from a distribution tarball, with buildah (or podman), no Docker engine needed:
#
#   deploy/container/build.sh path/to/intake-VERSION.tar.gz      -> localhost/intake:VERSION
#
# By default it builds from the local images that make-base.sh makes (and runs make-base.sh when they are
# missing). Settings, by environment:
#   BASE_IMAGE   the Debian 12 image for the runtime, e.g. registry.example.gov/debian:12-slim
#   JDK_IMAGE    the JDK image for the jlink stage, e.g. registry.example.gov/eclipse-temurin:25-jdk
#   VERSION      default: from the tarball's name (intake-VERSION.tar.gz)
#   IMAGE        default: localhost/intake:$VERSION
#   BUILDER      buildah or podman; default: buildah if installed
#   BUILDAH_ISOLATION  how the RUN steps run; default here chroot (see below), or oci (through crun/runc)
#   STORAGE_DRIVER     overlay (the default, where the kernel allows) or vfs (always works, more disk)
#   BUILD_ARGS   more arguments for the builder, e.g. "--build-arg JLINK_MODULES=..." or "--pull=always"
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
if [ $# -ne 1 ] || [ ! -f "$1" ]; then echo "usage: $0 path/to/intake-VERSION.tar.gz" >&2; exit 2; fi
tarball=$1
name=$(basename "$tarball")
if [ -z "${VERSION:-}" ]; then
  VERSION=$(echo "$name" | sed -n 's/^intake-\(.*\)\.t\(ar\.\)\{0,1\}gz$/\1/p')
  [ -n "$VERSION" ] || { echo "cannot tell the version from $name: set VERSION" >&2; exit 2; }
fi
IMAGE=${IMAGE:-localhost/intake:$VERSION}
BASE_IMAGE=${BASE_IMAGE:-localhost/intake-base:bookworm}
JDK_IMAGE=${JDK_IMAGE:-localhost/intake-jdk:25}
REVISION=$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -z "${BUILDER:-}" ]; then
  if command -v buildah >/dev/null; then BUILDER=buildah; else BUILDER=podman; fi
fi
# Read by buildah and podman themselves; nothing here changes /etc/containers.
[ -n "${STORAGE_DRIVER:-}" ] && export STORAGE_DRIVER
# chroot: the RUN steps only unpack, jlink and add a user, which needs no container of its own, and it
# works where the OCI runtime cannot start one (seen in a sandbox: Debian 12's crun refuses hybrid cgroups,
# "crun: cgroups in hybrid mode not supported, drop all controllers from cgroupv2").
export BUILDAH_ISOLATION="${BUILDAH_ISOLATION:-chroot}"

# The local base images, when they are the ones asked for and are missing.
case "$BASE_IMAGE $JDK_IMAGE" in
  *localhost/intake-*)
    if ! buildah inspect --type image "$BASE_IMAGE" >/dev/null 2>&1 || ! buildah inspect --type image "$JDK_IMAGE" >/dev/null 2>&1; then
      "$here/make-base.sh"
    fi ;;
esac

# The build context: the tarball (hard-linked when it can be) and nothing else.
context=$(mktemp -d /var/tmp/intake-build.XXXXXX)
trap 'rm -rf "$context"' EXIT
ln "$tarball" "$context/intake.tar.gz" 2>/dev/null || cp "$tarball" "$context/intake.tar.gz"

set -- --file "$here/Containerfile" --tag "$IMAGE" --format oci \
  --build-arg BASE_IMAGE="$BASE_IMAGE" --build-arg JDK_IMAGE="$JDK_IMAGE" \
  --build-arg VERSION="$VERSION" --build-arg REVISION="$REVISION"
# shellcheck disable=SC2086  # BUILD_ARGS is a list of words
case "$BUILDER" in
  buildah) buildah bud "$@" ${BUILD_ARGS:-} "$context" ;;
  podman) podman build "$@" ${BUILD_ARGS:-} "$context" ;;
  *) echo "BUILDER must be buildah or podman" >&2; exit 2 ;;
esac
echo "built $IMAGE ($("$BUILDER" images --format '{{.Size}}' "$IMAGE" | head -n 1))"
