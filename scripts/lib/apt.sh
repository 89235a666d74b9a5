# Debian package helpers: sudo when not root; package lists refreshed once per run.
apt_updated=""
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_update() {
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -qq >&2 || true
    apt_updated=1
  fi
}
apt_install() {
  apt_update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}
