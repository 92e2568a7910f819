#!/usr/bin/env bash
# Builds the image's Java runtime base from Debian's own packages, as a docker-archive tarball
# that Jib takes with -Djib.from.image=tar://..., for build machines that reach Debian's archive
# but no container registry. Debian bookworm with its openjdk-17-jre-headless: a maintained runtime
# (Debian's security updates), no shell tools beyond minbase. Needs root (debootstrap) and about
# 250 MB of disk. Where a registry is reachable, the default base (eclipse-temurin) needs none of this.
#
#   sudo src/image/offline-base-image.sh [target/base-image.tar]
set -euo pipefail

out=${1:-target/base-image.tar}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=${DEBIAN_SUITE:-bookworm}
java_home=/usr/lib/jvm/java-17-openjdk-amd64

command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 3; }
[ "$(id -u)" = 0 ] || { echo "debootstrap needs root: run this with sudo" >&2; exit 3; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs

debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates,tzdata \
  "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
chroot "$rootfs" apt-get clean
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/log/* \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
"$rootfs$java_home/bin/java" -version >/dev/null 2>&1 || chroot "$rootfs" "$java_home/bin/java" -version

tar -C "$rootfs" --numeric-owner --sort=name -cf "$work/layer.tar" .
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
cat >"$work/config.json" <<JSON
{"architecture":"amd64","os":"linux",
 "config":{"Env":["PATH=$java_home/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$java_home","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created_by":"src/image/offline-base-image.sh: debootstrap $suite + openjdk-17-jre-headless"}]}
JSON
config=$(sha256sum "$work/config.json" | cut -d' ' -f1).json
mv "$work/config.json" "$work/$config"
cat >"$work/manifest.json" <<JSON
[{"Config":"$config","RepoTags":["onboarding-sync-base:$suite-jre17"],"Layers":["layer.tar"]}]
JSON
mkdir -p "$(dirname "$out")"
tar -C "$work" -cf "$out" manifest.json "$config" layer.tar
echo "Base image: $out ($(du -h "$out" | cut -f1)); build with: ./mvnw package jib:buildTar -Djib.from.image=tar://$(realpath "$out")"
