# Shared helpers for the scripts in this folder. Source it; do not run it.
# shellcheck shell=bash

# Prints a step header so long runs are easy to follow in CI logs.
step() { printf '\n==> %s  [%s]\n' "$*" "$(date +%T)"; }

# Runs a command as root (directly when we are root, else through sudo).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The Cargo features every build of the app uses, so that build, clippy and test share artifacts.
APP_FEATURES=(--features custom-protocol)

# Prints a free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The Tauri config fragment that puts the update helper built in the profile folder $1 (e.g.
# target/release) into the .deb. kioskctl needs none: it is the app binary, linked as
# /usr/bin/kioskctl by postinst (packaging/deb/postinst). Merged with --config, so
# tauri.conf.json need not name a build directory.
update_helper_in_deb() {
  printf '{"bundle":{"linux":{"deb":{"files":{"/usr/libexec/tongban/update-helper":"%s"}}}}}' \
    "$(realpath "$1/tongban-update-helper")"
}
