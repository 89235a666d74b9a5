#!/usr/bin/env bash
# kubeemu bench services side by side with Debian's nginx on this machine: installs nginx when it is
# missing (for the benchmark only), serves its default page on 127.0.0.1:8089 from a private
# configuration (the system's nginx service is neither used nor started), runs the benchmark, stops nginx.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
. "$here/scripts/lib/apt.sh"
command -v nginx >/dev/null || apt_install nginx
dir="$(mktemp -d)"
mkdir -p "$dir/logs"
cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:8089;
    root /var/www/html;
    index index.nginx-debian.html index.html;
  }
}
CONF
nginx -c "$dir/nginx.conf" -p "$dir"
trap 'kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true; rm -rf "$dir"' EXIT
"$here/src/Host/bin/Release/net10.0/kubeemu" bench services --nginx-url http://127.0.0.1:8089/ "$@"
