#!/usr/bin/env bash
# A software WebGPU for the tests, so the generated WGSL kernels run on a machine without a GPU:
# Mesa's llvmpipe Vulkan driver (lavapipe) and Dawn for Node (the `webgpu` package). Dawn needs
# Mesa 25 or later (it refuses bookworm's 22.3), which Debian ships in bookworm-backports. The
# backports suite is added on the mirror the machine already uses. Dawn goes into a cache outside
# the repository, as code-server does: it is 132 MB and LossLab never depends on it.
# Prints the path of the `webgpu` module to stdout; exits non-zero if it could not be set up.
set -euo pipefail

CACHE="${LOSSLAB_CACHE:-$HOME/.cache/losslab}/webgpu"
DAWN_VERSION=0.6.2

mesa_major() {
  dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | cut -d. -f1 || true
}

if [ "$(mesa_major)" = "" ] || [ "$(mesa_major)" -lt 25 ]; then
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
  if [ -z "$codename" ] || [ -z "$mirror" ]; then
    echo "webgpu-software: cannot tell the Debian release or mirror" >&2
    exit 1
  fi
  echo "deb $mirror ${codename}-backports main" > /etc/apt/sources.list.d/losslab-backports.list
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t "${codename}-backports" mesa-vulkan-drivers libvulkan1 >&2
fi

if [ ! -f "$CACHE/node_modules/webgpu/package.json" ] || ! grep -q "\"version\": \"$DAWN_VERSION\"" "$CACHE/node_modules/webgpu/package.json"; then
  mkdir -p "$CACHE"
  # Its only install script is for macOS (a quarantine attribute); nothing to run here.
  (cd "$CACHE" && env -u npm_config_prefix npm install --no-save --no-audit --no-fund --ignore-scripts --prefix "$CACHE" "webgpu@$DAWN_VERSION" >&2)
fi
echo "$CACHE/node_modules/webgpu/index.js"
