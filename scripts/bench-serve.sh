#!/usr/bin/env bash
# bench-serve.sh — `make bench-serve`: how fast `wasmbox serve` answers
# HTTP, next to nginx serving the same bytes as a static file.
#
# Builds examples/hello-http.c for wasm32-wasi into
# build/examples/hello-http.wasm (when stale), starts the optimised
# build/wasmbox serve with it (--quiet, one worker per core, a free port,
# /metrics on a second one), and nginx (Debian's nginx-light: run as the
# current user, in the foreground, with its own config, pid, logs and temp
# folders under build/bench-serve/, access log off, one worker per core)
# serving a file whose bytes are those of the handler's response body to
# GET /. Checks that both answer 200 with the same body, then runs
#   wrk -t2 -c64 -d${BENCH_SECONDS}s --latency http://127.0.0.1:PORT/
# against each in turn and prints requests/s, p50 and p99 latency, the
# ratio of wasmbox's requests/s to nginx's, then from wasmbox's /metrics
# the mean instantiation time per request (wasmbox_instantiate_seconds_sum
# / _count) and its memory: VmRSS (and peak VmHWM) of the process from
# /proc/PID/status, divided by wasmbox_workers.
#
# wrk's full outputs are kept in build/bench-serve/wrk-{wasmbox,nginx}.txt.
# A run with non-2xx responses or socket errors is a FAILURE (its numbers
# would not mean much): reported, and the script exits 1. Both servers are
# stopped on exit, whatever happens.
#
# Environment:
#   BENCH_SECONDS=N   seconds of load per server (default 30)
#   BENCH_THREADS=N   wrk threads (default 2); BENCH_CONNECTIONS=N (default 64)
#   WASMBOX=PATH      the wasmbox binary (default build/wasmbox)
#   NGINX=PATH        the nginx binary (default: nginx on PATH, or /usr/sbin/nginx)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SECONDS_EACH=${BENCH_SECONDS:-30}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
WASMBOX=${WASMBOX:-build/wasmbox}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
out=$PWD/build/bench-serve
wasm=build/examples/hello-http.wasm

die() {
    echo "bench-serve: $*" >&2
    exit 2
}
for var in SECONDS_EACH THREADS CONNECTIONS; do
    [[ ${!var} =~ ^[1-9][0-9]*$ ]] || die "$var must be a positive number, not '${!var}'"
done
[[ -x $WASMBOX ]] || die "$WASMBOX is missing: run 'make' first (or 'make bench-serve')"
[[ -x $NGINX ]] || die "nginx is missing: run 'scripts/install-deps.sh serve-bench'"
command -v wrk >/dev/null || die "wrk is missing: run 'scripts/install-deps.sh serve-bench'"
command -v clang >/dev/null || die "clang is missing: run 'scripts/install-deps.sh serve-bench'"

rm -rf "$out"
mkdir -p "$out/www" "$out/nginx" build/examples

wasmbox_pid="" nginx_pid=""
stop_servers() {
    local pid
    for pid in $wasmbox_pid $nginx_pid; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in $wasmbox_pid $nginx_pid; do
        wait "$pid" 2>/dev/null || true
    done
    wasmbox_pid="" nginx_pid=""
}
trap stop_servers EXIT

# ------------------------------------------------------------------ helpers

# http_get PORT PATH FILE — GET over bash's /dev/tcp (no client to
# install): the body into FILE, the status code printed.
http_get() {
    local raw=$3.raw
    if ! (
        exec 3<>"/dev/tcp/127.0.0.1/$1"
        printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
        timeout 10 cat <&3
    ) >"$raw" 2>/dev/null; then
        echo 000
        return
    fi
    if sed '/^\r$/q' "$raw" | grep -qi '^transfer-encoding: *chunked'; then
        die "GET $2 on port $1: a chunked response (not expected here)"
    fi
    sed '1,/^\r$/d' "$raw" >"$3" # the body: everything after the blank line
    head -n 1 "$raw" | cut -d ' ' -f 2
}

# port_free PORT — nothing listens on 127.0.0.1:PORT.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_listening PORT PID — waits (10 s at most) until PORT accepts
# connections; fails when PID exits first.
wait_listening() {
    local i
    for ((i = 0; i < 100; i++)); do
        port_free "$1" || return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# metric NAME FILE — the value of NAME (no labels) in Prometheus text.
metric() { awk -v n="$1" '$1 == n { print $2; exit }' "$2"; }

# wrk_run NAME PORT — the load run, wrk's output in $out/wrk-NAME.txt;
# sets rps_NAME, p50_NAME, p99_NAME (ms) and errors_NAME.
wrk_run() {
    local name=$1 port=$2 file=$out/wrk-$1.txt
    echo "running wrk against $name (${SECONDS_EACH}s)..."
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency \
        "http://127.0.0.1:$port/" >"$file" 2>&1 || die "wrk failed against $name: $(tail -n 3 "$file")"
    # wrk prints latencies as 812.00us, 1.23ms or 1.05s: in ms
    local to_ms='function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
        if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v }'
    printf -v "rps_$name" '%s' "$(awk '/^Requests\/sec:/ { print $2 }' "$file")"
    printf -v "p50_$name" '%s' "$(awk "$to_ms"' $1 == "50%" { printf "%.3f", ms($2) }' "$file")"
    printf -v "p99_$name" '%s' "$(awk "$to_ms"' $1 == "99%" { printf "%.3f", ms($2) }' "$file")"
    local non2xx sock
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$file")
    sock=$(awk -F'[ ,]+' '/Socket errors:/ { print $4 + $6 + $8 + $10 }' "$file")
    printf -v "errors_$name" '%s' "$((${non2xx:-0} + ${sock:-0}))"
    local rps=rps_$name
    [[ -n ${!rps} ]] || die "no Requests/sec in wrk's output for $name: see $file"
}

# ------------------------------------------------------------------ build

if [[ ! -e $wasm || examples/hello-http.c -nt $wasm ]]; then
    clang --target=wasm32-wasi --sysroot=/usr -O2 examples/hello-http.c -o "$wasm"
fi

# ------------------------------------------------------------------ wasmbox serve

"$WASMBOX" serve --quiet --listen 127.0.0.1:0 --admin 127.0.0.1:0 "$wasm" \
    </dev/null >"$out/wasmbox.log" 2>"$out/wasmbox.err" &
wasmbox_pid=$!
wasmbox_port="" admin_port=""
for ((i = 0; i < 100; i++)); do
    wasmbox_port=$(sed -n 's|^wasmbox serve: listening on http://127\.0\.0\.1:\([0-9]*\) .*|\1|p' "$out/wasmbox.err")
    admin_port=$(sed -n 's|^wasmbox serve: metrics on http://127\.0\.0\.1:\([0-9]*\)/metrics$|\1|p' "$out/wasmbox.err")
    [[ -n $wasmbox_port && -n $admin_port ]] && break
    kill -0 "$wasmbox_pid" 2>/dev/null || break
    sleep 0.1
done
[[ -n $wasmbox_port && -n $admin_port ]] ||
    die "wasmbox serve did not start: $(head -n 5 "$out/wasmbox.err")"

status=$(http_get "$wasmbox_port" / "$out/www/hello.txt")
[[ $status == 200 ]] || die "wasmbox serve answered GET / with status $status"
body_bytes=$(wc -c <"$out/www/hello.txt")

# ------------------------------------------------------------------ nginx

nginx_port=""
for ((try = 0; try < 20; try++)); do
    candidate=$((20000 + RANDOM % 40000))
    port_free "$candidate" && nginx_port=$candidate && break
done
[[ -n $nginx_port ]] || die "found no free port for nginx"
user_line=""
[[ $(id -u) -ne 0 ]] || user_line="user root root;" # else its workers run as nobody
cat >"$out/nginx.conf" <<EOF
# nginx for scripts/bench-serve.sh: one static file, no logs on the way.
$user_line
daemon off;
worker_processes auto;
pid $out/nginx.pid;
error_log $out/nginx-error.log warn;
events {
    worker_connections 4096;
}
http {
    access_log off;
    keepalive_requests 1000000000;
    client_body_temp_path $out/nginx/body;
    proxy_temp_path $out/nginx/proxy;
    fastcgi_temp_path $out/nginx/fastcgi;
    uwsgi_temp_path $out/nginx/uwsgi;
    scgi_temp_path $out/nginx/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        location / {
            root $out/www;
            default_type text/plain;
            try_files /hello.txt =404;
        }
    }
}
EOF
"$NGINX" -p "$out/nginx" -c "$out/nginx.conf" -e "$out/nginx-error.log" \
    </dev/null >"$out/nginx.out" 2>&1 &
nginx_pid=$!
wait_listening "$nginx_port" "$nginx_pid" ||
    die "nginx did not start: $(tail -n 5 "$out/nginx-error.log" "$out/nginx.out" 2>/dev/null)"
status=$(http_get "$nginx_port" / "$out/nginx-body.txt")
[[ $status == 200 ]] || die "nginx answered GET / with status $status"
cmp -s "$out/www/hello.txt" "$out/nginx-body.txt" || die "nginx's body differs from wasmbox's"

# ------------------------------------------------------------------ header

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -z $(git status --porcelain 2>/dev/null) ]] || commit+=" + uncommitted changes"
echo "wasmbox serve benchmark"
echo "  machine:  $(nproc) cores, ${cpu:-unknown CPU}; $(uname -sr)"
echo "  commit:   $commit"
echo "  load:     wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_EACH}s --latency, GET / (keep-alive)"
echo "  wasmbox:  $WASMBOX serve --quiet $wasm (a fresh sandbox per request)"
echo "  nginx:    $("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), the same $body_bytes bytes as a static file, access log off"
echo "  body:     $(head -n 1 "$out/www/hello.txt") ..."
echo

# ------------------------------------------------------------------ runs

wrk_run wasmbox "$wasmbox_port"
# memory and instantiation, right after the load, before anything is freed
http_get "$admin_port" /metrics "$out/metrics.txt" >/dev/null
rss_kib=$(awk '/^VmRSS:/ { print $2 }' "/proc/$wasmbox_pid/status")
hwm_kib=$(awk '/^VmHWM:/ { print $2 }' "/proc/$wasmbox_pid/status")
wrk_run nginx "$nginx_port"
stop_servers

workers=$(metric wasmbox_workers "$out/metrics.txt")
inst_sum=$(metric wasmbox_instantiate_seconds_sum "$out/metrics.txt")
inst_count=$(metric wasmbox_instantiate_seconds_count "$out/metrics.txt")

# ------------------------------------------------------------------ report

echo
printf '%-16s %12s %10s %10s %8s\n' server requests/s p50 p99 errors
# shellcheck disable=SC2154 # set by wrk_run through printf -v
{
    printf '%-16s %12.0f %8.3fms %8.3fms %8s\n' "wasmbox serve" "$rps_wasmbox" "$p50_wasmbox" \
        "$p99_wasmbox" "$errors_wasmbox"
    printf '%-16s %12.0f %8.3fms %8.3fms %8s\n' nginx "$rps_nginx" "$p50_nginx" "$p99_nginx" \
        "$errors_nginx"
    printf '%-16s %11.3fx\n' "wasmbox/nginx" "$(awk -v a="$rps_wasmbox" -v b="$rps_nginx" 'BEGIN { print a / b }')"
}
echo
if [[ -n $inst_sum && -n $inst_count && $inst_count != 0 ]]; then
    awk -v s="$inst_sum" -v c="$inst_count" 'BEGIN {
        printf "instantiate:     %.1f us per request (mean of %d, wasmbox_instantiate_seconds)\n", s / c * 1e6, c }'
else
    echo "instantiate:     wasmbox_instantiate_seconds_sum/_count missing from /metrics (see $out/metrics.txt)"
fi
if [[ -n $workers && $workers != 0 ]]; then
    awk -v r="$rss_kib" -v h="$hwm_kib" -v w="$workers" 'BEGIN {
        printf "memory:          %.1f MiB per worker (VmRSS %.1f MiB / %d workers; peak VmHWM %.1f MiB)\n",
            r / w / 1024, r / 1024, w, h / 1024 }'
else
    echo "memory:          VmRSS $((rss_kib / 1024)) MiB; wasmbox_workers missing from /metrics (see $out/metrics.txt)"
fi
echo "(wrk's outputs: $out/wrk-wasmbox.txt, $out/wrk-nginx.txt)"

# shellcheck disable=SC2154
if [[ $errors_wasmbox -ne 0 || $errors_nginx -ne 0 ]]; then
    echo "FAILURE: non-2xx responses or socket errors (wasmbox $errors_wasmbox, nginx $errors_nginx): see wrk's outputs" >&2
    exit 1
fi
