#!/usr/bin/env bash
# run.sh — the `wasmbox serve` suite: real HTTP clients (curl, and
# tests/serve/client.py for what curl cannot do: pipelining, slow clients,
# bursts, malformed requests) against real servers, each started on a free
# port, serving the handlers of tests/serve/handlers/.
#
# Builds each tests/serve/handlers/NAME.c (and examples/hello-http.c) into
# build/serve/NAME.wasm when it is missing or older than its source or
# handlers/wagi.h, with
#   $WASI_CC --target=wasm32-wasi --sysroot=/usr -O2
# ($WASI_CC defaults to clang; Debian's clang, lld, wasi-libc and
# libclang-rt-14-dev-wasm32). Needs python3 and curl.
#
# Servers are $WASMBOX serve (default build/asan/wasmbox: sanitized, so
# the timeouts are generous) with --listen 127.0.0.1:0; the port is read
# from the "listening on" line. Each is started the first time a case needs
# it (see server_args), with SERVE_SECRET and FROM_HOST in its environment
# (the env cases check that only what is granted reaches a handler), its
# stdout (the access log) in $tmp/NAME.log and its stderr in $tmp/NAME.err.
# At the end every server gets SIGTERM and must exit 0 with no sanitizer
# report: one case per server. Servers still running when the script exits
# for any reason are killed.
#
# Prints "ok - NAME" or "not ok - NAME (why)" per case (with what the
# clients saw and the server's stderr after a failure), then
# "N passed, N failed"; exits 1 if any failed. Run one group or case by
# name: bash tests/serve/run.sh overload   (a substring of the case names).
# SERVE_KEEP=1 keeps the temp dir (routes files, the servers' logs);
# SERVE_VERBOSE=1 shows what the clients saw after passing cases too.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

WASMBOX=${WASMBOX:-build/asan/wasmbox}
# shellcheck source=tests/lib/wasi_build.bash
source tests/lib/wasi_build.bash
filter=${1:-}
if [[ ! -x $WASMBOX ]]; then
    echo "run.sh: $WASMBOX is not built" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
for tool in python3 curl; do
    if ! command -v $tool >/dev/null; then
        echo "run.sh: $tool not found (scripts/install-deps.sh test installs it)" >&2
        echo "0 passed, 1 failed"
        exit 1
    fi
done
WASMBOX=$(realpath "$WASMBOX")
out=$PWD/build/serve
client=(python3 "$PWD/tests/serve/client.py")

tmp=$(mktemp -d)
declare -A PID=() PORT=() ADMIN=() STATE=()
cleanup() {
    local name
    for name in "${!PID[@]}"; do
        kill -KILL "${PID[$name]}" 2>/dev/null || true
        wait "${PID[$name]}" 2>/dev/null || true
    done
    if [[ -n ${SERVE_KEEP:-} ]]; then
        echo "run.sh: kept $tmp (servers' logs: NAME.log, NAME.err)" >&2
    else
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT
passed=0 failed=0

# ------------------------------------------------------------------ build

build_handlers() {
    local bad=()
    if ! wasi_build "$out" tests/serve/handlers/wagi.h -- tests/serve/handlers/*.c \
        examples/hello-http.c; then
        echo "not ok - build the handlers ($wasi_error)"
        failed=$((failed + 1))
        return 1
    fi
    bad=("${wasi_failed[@]}")
    if [[ ${#bad[@]} -gt 0 ]]; then
        echo "not ok - build the handlers (failed: ${bad[*]})"
        failed=$((failed + 1))
        return 1
    fi
    echo "ok - build the handlers ($wasi_built built, $wasi_fresh up to date)"
    passed=$((passed + 1))
}
build_handlers || {
    echo "$passed passed, $failed failed"
    exit 1
}

# ------------------------------------------------------------------ fixtures

# The directory the /files route grants read-only as /data, next to a
# secret it must not reach.
mkdir -p "$tmp/data/sub" "$tmp/outside"
printf 'hello from the data dir\n' >"$tmp/data/hello.txt"
printf 'nested\n' >"$tmp/data/sub/nested.txt"
printf 'TOP SECRET\n' >"$tmp/secret.txt"

# The main server's routes: one per handler, limits per route.
cat >"$tmp/routes.yaml" <<EOF
# the serve suite's main routes file (written by tests/serve/run.sh)
defaults:
  timeout: 30s
routes:
  - path: /echo
    module: $out/echo.wasm
    env: {GREETING: hello-echo}
  - path: /status
    module: $out/status.wasm
  - path: /trap
    module: $out/trap.wasm
  - path: /loop
    module: $out/loop.wasm
    timeout: 1s
  - path: /spin-fuel
    module: $out/loop.wasm
    fuel: 1000000
  - path: /sleep
    module: $out/sleep.wasm
    timeout: 1s
  - path: /alloc
    module: $out/alloc.wasm
    max-memory: 16MiB
  - path: /recurse
    module: $out/recurse.wasm
    max-stack: 64KiB
  - path: /bad
    module: $out/bad.wasm
  - path: /exit
    module: $out/exit.wasm
  - path: /big
    module: $out/big.wasm
  - path: /env
    module: $out/env.wasm
    env: ["ROUTE_VAR=r1"]
  - path: /files
    module: $out/files.wasm
    dirs-ro: ["$tmp/data::/data"]
EOF

# The reload server's routes: modules by relative path, next to the file.
mkdir -p "$tmp/reload"
cp "$out/echo.wasm" "$out/status.wasm" "$tmp/reload/"
write_reload_routes() { # VERSION: 1 (/a, /a/b, /b) or 2 (/a, /c)
    if [[ $1 == 1 ]]; then
        cat >"$tmp/reload/routes.yaml" <<'EOF'
routes:
  - path: /a
    module: echo.wasm
    env: {ROUTE_NAME: a}
  - path: /a/b
    module: echo.wasm
    env: {ROUTE_NAME: a-b}
  - path: /b
    module: status.wasm
EOF
    else
        cat >"$tmp/reload/routes.yaml" <<'EOF'
routes:
  - path: /a
    module: echo.wasm
    env: {ROUTE_NAME: a2}
  - path: /c
    module: status.wasm
EOF
    fi
}
write_reload_routes 1

# server_args NAME — the options of each server (besides --listen).
server_args() {
    case $1 in
    main) args=(--admin 127.0.0.1:0 --workers 2 --routes "$tmp/routes.yaml") ;;
    single) args=(--env FROM_HOST --env FROM_CLI=cli-value "$out/echo.wasm") ;;
    hello) args=(--quiet "$out/hello-http.wasm") ;;
    timeout) args=(--quiet --timeout 1s "$out/loop.wasm") ;;
    fuel) args=(--quiet --fuel 1000000 "$out/loop.wasm") ;;
    memory) args=(--quiet --max-memory 16MiB "$out/alloc.wasm") ;;
    stack) args=(--quiet --max-stack 64KiB "$out/recurse.wasm") ;;
    limits) args=(--read-timeout 2s --idle-timeout 1s --max-body 64KiB --max-headers 4KiB
        --workers 2 "$out/echo.wasm") ;;
    overload) args=(--workers 1 --queue 1 "$out/sleep.wasm") ;;
    conns) args=(--quiet --max-connections 4 "$out/echo.wasm") ;;
    reload) args=(--routes "$tmp/reload/routes.yaml") ;;
    grace) args=(--grace 10s --workers 2 "$out/sleep.wasm") ;;
    grace-short) args=(--grace 1s --workers 2 "$out/sleep.wasm") ;;
    *)
        echo "run.sh: no server $1" >&2
        exit 2
        ;;
    esac
}

LISTEN_RE='^wasmbox serve: listening on http://127\.0\.0\.1:([0-9]+) \(([0-9]+) workers?\)$'
ADMIN_RE='^wasmbox serve: metrics on http://127\.0\.0\.1:([0-9]+)/metrics$'

# start_server NAME — starts it and waits (30 s at most) for its
# "listening on" line; sets PORT[NAME] (and ADMIN[NAME]). Returns 1 when it
# exited or said nothing.
start_server() {
    local name=$1 i line
    server_args "$name"
    SERVE_SECRET=do-not-leak FROM_HOST=host-value \
        "$WASMBOX" serve --listen 127.0.0.1:0 "${args[@]}" \
        </dev/null >"$tmp/$name.log" 2>"$tmp/$name.err" &
    PID[$name]=$!
    STATE[$name]=starting
    for ((i = 0; i < 300; i++)); do
        line=$(grep -m 1 -E "$LISTEN_RE" "$tmp/$name.err" || true)
        if [[ $line =~ $LISTEN_RE ]]; then
            PORT[$name]=${BASH_REMATCH[1]}
            # with --admin, the metrics line may come just after that one
            while [[ " ${args[*]} " == *" --admin "* && $i -lt 300 ]]; do
                line=$(grep -m 1 -E "$ADMIN_RE" "$tmp/$name.err" || true)
                if [[ $line =~ $ADMIN_RE ]]; then
                    ADMIN[$name]=${BASH_REMATCH[1]}
                    break
                fi
                i=$((i + 1))
                sleep 0.1
            done
            STATE[$name]=running
            return 0
        fi
        kill -0 "${PID[$name]}" 2>/dev/null || break
        sleep 0.1
    done
    STATE[$name]=failed
    return 1
}

# ------------------------------------------------------------------ cases

name="" skip=0 why=() server="" port="" code="" last=""

# begin NAME — starts a case (skipped unless NAME contains the filter).
begin() {
    name=$1 why=() server="" port="" code="" last=""
    skip=0
    if [[ -n $filter && $name != *"$filter"* ]]; then
        skip=1
        return
    fi
    : >"$tmp/case.log"
}

fail_because() { why+=("$*"); }
note() { printf '%s\n' "$*" >>"$tmp/case.log"; }

# use NAME — the case talks to server NAME (started on first use): $port.
use() {
    [[ $skip -eq 1 ]] && return
    server=$1
    if [[ -z ${STATE[$server]:-} ]]; then
        start_server "$server" || true
    fi
    if [[ ${STATE[$server]} != running ]]; then
        fail_because "server $server did not start: $(tail -n 3 "$tmp/$server.err" | tr '\n' ' ')"
        port=1 # nothing listens there: every request fails fast
        return
    fi
    port=${PORT[$server]}
}

# req PATH [CURL_ARGS...] — one request with curl to the case's server:
# status in $code, response headers in $tmp/h (no CRs), body in $tmp/b.
req() {
    [[ $skip -eq 1 ]] && return
    local path=$1
    shift
    set +e
    code=$(curl -sS --max-time 30 -H 'Expect:' -o "$tmp/b" -D "$tmp/h.raw" -w '%{http_code}' \
        "$@" "http://127.0.0.1:$port$path" 2>"$tmp/curl.err")
    local rc=$?
    set -e
    [[ $rc -eq 0 ]] || code="(curl: $(head -c 200 "$tmp/curl.err"))"
    tr -d '\r' <"$tmp/h.raw" >"$tmp/h" 2>/dev/null || : >"$tmp/h"
    [[ -e $tmp/b ]] || : >"$tmp/b"
    local arg short=()
    for arg in "$@"; do
        ((${#arg} <= 60)) && short+=("$arg") || short+=("${arg:0:40}...(${#arg} bytes)")
    done
    last="$path${short[*]:+ (${short[*]})}"
    {
        echo "> $last: $code"
        sed 's/^/<   /' "$tmp/h" | head -n 40
        head -c 400 "$tmp/b" | tr '\0' . | sed 's/^/<   /'
        echo
    } >>"$tmp/case.log"
}
expect_code() {
    [[ $skip -eq 1 || $code == "$1" ]] || fail_because "$last: status $code, want $1"
}
# expect_header REGEX — a response header line matches (case-insensitive).
expect_header() {
    [[ $skip -eq 1 ]] || grep -Eiq -- "^$1" "$tmp/h" || fail_because "$last: no header /$1/"
}
expect_no_header() {
    [[ $skip -eq 1 ]] || ! grep -Eiq -- "^$1" "$tmp/h" || fail_because "$last: header /$1/"
}
# expect_body TEXT — the body is exactly TEXT (printf %b escapes).
expect_body() {
    [[ $skip -eq 1 ]] || cmp -s "$tmp/b" <(printf '%b' "$1") ||
        fail_because "$last: body [$(head -c 100 "$tmp/b" | od -An -c | tr -s ' \n' ' ' | head -c 160)]"
}
# expect_body_has REGEX / expect_body_lacks REGEX — case-insensitive.
expect_body_has() {
    [[ $skip -eq 1 ]] || grep -Eiq -- "$1" "$tmp/b" || fail_because "$last: body lacks /$1/"
}
expect_body_lacks() {
    [[ $skip -eq 1 ]] || ! grep -Eiq -- "$1" "$tmp/b" || fail_because "$last: body has /$1/"
}
# expect_error_body REGEX — an error the server made: text/plain, saying REGEX.
expect_error_body() {
    expect_header 'Content-Type: text/plain'
    expect_body_has "$1"
}

# client COMMAND ARGS... — client.py COMMAND $port ARGS: output in $tmp/c;
# a non-zero exit fails the case with its FAIL lines.
client() {
    [[ $skip -eq 1 ]] && return
    local rc=0
    timeout -k 5 120 "${client[@]}" "$1" "$port" "${@:2}" >"$tmp/c" 2>&1 || rc=$?
    {
        echo "> client.py $1 $port ${*:2}"
        sed 's/^/<   /' "$tmp/c" | head -n 60
    } >>"$tmp/case.log"
    if [[ $rc -ne 0 ]]; then
        local fails
        fails=$(grep -m 3 '^FAIL' "$tmp/c" | cut -c 1-300 | tr '\n' ' ' || true)
        fail_because "client.py $1 ${*:2}: ${fails:-exit status $rc: $(tail -n 2 "$tmp/c" | tr '\n' ' ')}"
    fi
}
# raw REQUEST [OPTIONS] — client.py raw: the response summary in $tmp/c.
raw() {
    [[ $skip -eq 1 ]] && return
    last="raw ${1:0:30}..."
    client raw "$@"
}
# expect_raw REGEX — a line of the raw summary matches.
expect_raw() {
    [[ $skip -eq 1 ]] || grep -Eq -- "$1" "$tmp/c" || fail_because "$last: no line /$1/ in what came back"
}

# elapsed_since T0 — milliseconds since T0 (from `now_ms`).
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# end — checks the case's server is still alive, prints the verdict.
end() {
    [[ $skip -eq 1 ]] && return
    if [[ -n $server && ${STATE[$server]:-} == running ]] && ! kill -0 "${PID[$server]}" 2>/dev/null; then
        STATE[$server]=died
        fail_because "server $server died"
    fi
    if [[ ${#why[@]} -eq 0 ]]; then
        echo "ok - $name"
        passed=$((passed + 1))
        if [[ -n ${SERVE_VERBOSE:-} ]]; then
            cut -c 1-200 "$tmp/case.log" | head -n 80 | sed 's/^/#   /'
        fi
    else
        local IFS=';'
        echo "not ok - $name (${why[*]})"
        failed=$((failed + 1))
        cut -c 1-200 "$tmp/case.log" | head -n 80 | sed 's/^/#   /'
        if [[ -n $server && -s $tmp/$server.err ]]; then
            echo "#   server $server's stderr, last lines:"
            tail -n 15 "$tmp/$server.err" | cut -c 1-200 | sed 's/^/#     /'
        fi
    fi
}

# ================================================================= usage

begin "usage: serve --help lists every option"
if [[ $skip -eq 0 ]]; then
    rc=0
    timeout 10 "$WASMBOX" serve --help >"$tmp/help.out" 2>"$tmp/help.err" || rc=$?
    [[ $rc -eq 0 ]] || fail_because "exit status $rc"
    for opt in --routes --listen --admin --workers --queue --max-connections --max-body \
        --max-headers --read-timeout --idle-timeout --grace --quiet --dir --dir-ro --env \
        --max-memory --fuel --timeout --max-stack; do
        grep -Eq -- "(^|[ ,])$opt([ =,]|$)" "$tmp/help.out" || fail_because "no $opt"
    done
    cat "$tmp/help.out" >>"$tmp/case.log"
fi
end

begin "usage: bad flags exit 2 with a message"
if [[ $skip -eq 0 ]]; then
    for bad in "--workers 0 M" "--workers x M" "--workers -1 M" "--queue x M" \
        "--max-connections x M" "--listen nonsense M" "--listen 127.0.0.1:99999 M" \
        "--listen 127.0.0.1 M" "--admin nonsense M" "--max-body 12XB M" "--max-headers 1x M" \
        "--read-timeout 5x M" "--idle-timeout x M" "--grace x M" "--max-memory 5GiB M" \
        "--fuel 0 M" "--timeout 0 M" "--max-stack 12 M" "--env =x M" "--dir no/such/dir M" \
        "--nope M" "" "M M" "--routes $tmp/no-such.yaml" "--routes $tmp/routes.yaml M" \
        "$out/no-such.wasm" "$tmp/routes.yaml"; do
        argv=()
        for word in $bad; do # M stands for a good module
            [[ $word == M ]] && word=$out/echo.wasm
            argv+=("$word")
        done
        rc=0
        timeout -k 5 10 "$WASMBOX" serve --listen 127.0.0.1:0 "${argv[@]}" \
            </dev/null >"$tmp/usage.out" 2>"$tmp/usage.err" || rc=$?
        note "serve ${bad:-(nothing)}: status $rc: $(head -n 2 "$tmp/usage.err" | tr '\n' ' ')"
        if [[ $rc -eq 124 ]]; then
            fail_because "'${bad:-(nothing)}' started a server"
        elif [[ $rc -ne 2 ]]; then
            fail_because "'${bad:-(nothing)}': status $rc, want 2"
        elif ! grep -q '^wasmbox serve: ' "$tmp/usage.err"; then
            fail_because "'${bad:-(nothing)}': no 'wasmbox serve: ' message"
        fi
    done
fi
end

begin "usage: a bad routes file exits 2 naming FILE:LINE"
if [[ $skip -eq 0 ]]; then
    printf 'routes:\n  - path: /x\n    module: %s\n    colour: blue\n' "$out/echo.wasm" >"$tmp/bad.yaml"
    printf 'routes:\n  - path: nope\n    module: %s\n' "$out/echo.wasm" >"$tmp/bad2.yaml"
    printf 'routes:\n  - path: /x\n    module: %s\n  - path: /x\n    module: %s\n' \
        "$out/echo.wasm" "$out/echo.wasm" >"$tmp/bad3.yaml"
    printf 'routes: [\n' >"$tmp/bad4.yaml"
    for f in bad bad2 bad3 bad4; do
        rc=0
        timeout -k 5 10 "$WASMBOX" serve --listen 127.0.0.1:0 --routes "$tmp/$f.yaml" \
            </dev/null >"$tmp/usage.out" 2>"$tmp/usage.err" || rc=$?
        note "$f.yaml: status $rc: $(head -n 2 "$tmp/usage.err" | tr '\n' ' ')"
        [[ $rc -eq 2 ]] || fail_because "$f.yaml: status $rc, want 2"
        grep -Eq "^wasmbox serve: .*$f\.yaml:[0-9]+: " "$tmp/usage.err" ||
            fail_because "$f.yaml: the message does not say FILE:LINE: "
        [[ $f != bad ]] || grep -Eq 'bad\.yaml:4: .*colour' "$tmp/usage.err" ||
            fail_because "bad.yaml: the message does not point at line 4 and the key 'colour'"
    done
fi
end

begin "usage: a --listen address already in use fails with a message"
use single
if [[ $skip -eq 0 ]]; then
    rc=0
    timeout -k 5 10 "$WASMBOX" serve --listen "127.0.0.1:$port" "$out/echo.wasm" \
        </dev/null >"$tmp/usage.out" 2>"$tmp/usage.err" || rc=$?
    note "status $rc: $(head -n 3 "$tmp/usage.err")"
    [[ $rc -ne 0 && $rc -ne 124 ]] || fail_because "status $rc"
    grep -q "^wasmbox serve: .*127\.0\.0\.1:$port" "$tmp/usage.err" ||
        fail_because "the message does not name 127.0.0.1:$port"
fi
end

# ================================================================= start-up

begin "startup: one 'listening on' line, one 'metrics on' line with --admin"
use main
if [[ $skip -eq 0 ]]; then
    grep -Eq '^wasmbox serve: listening on http://127\.0\.0\.1:[0-9]+ \(2 workers\)$' "$tmp/main.err" ||
        fail_because "no line 'wasmbox serve: listening on http://127.0.0.1:PORT (2 workers)'"
    [[ -n ${ADMIN[main]:-} ]] ||
        fail_because "no line 'wasmbox serve: metrics on http://127.0.0.1:PORT/metrics'"
    [[ ${ADMIN[main]:-} != "$port" ]] || fail_because "the admin port is the main port"
fi
end

begin "example: hello-http answers 'Hello from wasmbox!'"
use hello
req /world
expect_code 200
expect_header 'Content-Type: text/plain'
expect_body 'Hello from wasmbox!\nYou asked for /world\n'
end

# ================================================================= WAGI

begin "wagi: one module answers every path (SCRIPT_NAME empty, PATH_INFO the path)"
use single
req /
expect_code 200
expect_header 'X-Env-PATH_INFO: /$'
req '/anything/at/all?x=1'
expect_code 200
expect_header 'X-Env-PATH_INFO: /anything/at/all$'
expect_header 'X-Env-SCRIPT_NAME: ?$'
expect_header 'X-Env-QUERY_STRING: x=1$'
end

begin "wagi: the request's meta-variables and body"
use single
req '/a/b?q=1%202&r' -X POST -H 'X-Test: hello there' -H 'Content-Type: text/x-test' \
    -H 'Authorization: Bearer sekrit' --data-binary 'abc'
expect_code 200
expect_body 'abc'
expect_header 'X-Body-Length: 3$'
expect_header 'X-Runs: 1$'
expect_header 'X-Env-REQUEST_METHOD: POST$'
expect_header 'X-Env-PATH_INFO: /a/b$'
expect_header 'X-Env-QUERY_STRING: q=1%202&r$'
expect_header 'X-Env-CONTENT_TYPE: text/x-test$'
expect_header 'X-Env-CONTENT_LENGTH: 3$'
expect_header 'X-Env-HTTP_X_TEST: hello there$'
expect_header "X-Env-HTTP_HOST: 127\.0\.0\.1:$port\$"
expect_header 'X-Env-SERVER_NAME: 127\.0\.0\.1$'
expect_header "X-Env-SERVER_PORT: $port\$"
expect_header 'X-Env-SERVER_PROTOCOL: HTTP/1\.1$'
expect_header 'X-Env-GATEWAY_INTERFACE: CGI/1\.1$'
expect_header 'X-Env-REMOTE_ADDR: 127\.0\.0\.1$'
expect_no_header 'X-Env-HTTP_CONTENT_TYPE'
expect_no_header 'X-Env-HTTP_CONTENT_LENGTH'
expect_no_header 'X-Env-HTTP_AUTHORIZATION'
req /get
expect_header 'X-Env-REQUEST_METHOD: GET$'
expect_header 'X-Body-Length: 0$'
end

begin "wagi: --env NAME=VALUE and --env NAME reach the handler; nothing else of the host's"
use single
req /
expect_code 200
expect_header 'X-Env-FROM_CLI: cli-value$'
expect_header 'X-Env-FROM_HOST: host-value$'
expect_no_header 'X-Env-SERVE_SECRET'
expect_no_header 'X-Env-PATH:'
expect_no_header 'X-Env-HOME:'
expect_no_header 'X-Env-ASAN_OPTIONS'
end

begin "wagi: a route's handler sees only CGI variables and the route's env"
use main
req /env/x -H 'X-Custom-Thing: 1'
expect_code 200
expect_body_has '^ROUTE_VAR=r1$'
expect_body_has '^REQUEST_METHOD=GET$'
expect_body_has '^SCRIPT_NAME=/env$'
expect_body_has '^PATH_INFO=/x$'
expect_body_has '^X_MATCHED_ROUTE=/env'
expect_body_has '^HTTP_X_CUSTOM_THING=1$'
expect_body_lacks 'do-not-leak|^FROM_HOST=|^PATH=|^HOME=|^ASAN|^GREETING='
if [[ $skip -eq 0 ]]; then
    allowed='REQUEST_METHOD|SCRIPT_NAME|PATH_INFO|PATH_TRANSLATED|QUERY_STRING|SERVER_NAME|SERVER_PORT'
    allowed+='|SERVER_PROTOCOL|SERVER_SOFTWARE|GATEWAY_INTERFACE|REMOTE_ADDR|REMOTE_HOST|REMOTE_PORT'
    allowed+='|CONTENT_TYPE|CONTENT_LENGTH|X_FULL_URL|X_MATCHED_ROUTE|X_RAW_PATH_INFO|AUTH_TYPE'
    allowed+='|REMOTE_USER|ROUTE_VAR|HTTP_[A-Z0-9_]+'
    extra=$(grep -Ev "^($allowed)=" "$tmp/b" | head -n 5 | tr '\n' ' ' || true)
    [[ -z $extra ]] || fail_because "unexpected variables: $extra"
fi
end

begin "wagi: a fresh instance for every request (a global counter is always 1)"
use main
for i in 1 2 3; do
    req "/echo/run$i"
    expect_header 'X-Runs: 1$'
done
end

# ================================================================= statuses

begin "status: 200 with the handler's body and Content-Type"
use main
req /status
expect_code 200
expect_header 'Content-Type: text/plain'
expect_body 'status handler: \n'
end

begin "status: a Status header sets the code and reason"
use main
req '/status?code=404&reason=Not+Found'
expect_code 404
expect_header 'HTTP/1\.1 404 Not Found$'
expect_body 'status handler: code=404&reason=Not+Found\n'
req '/status?code=418&reason=I%27m+a+teapot'
expect_code 418
expect_header "HTTP/1\.1 418 I'm a teapot\$"
req '/status?code=201'
expect_code 201
end

begin "status: Location alone makes a 302"
use main
req '/status?location=/elsewhere%3Fa%3D1'
expect_code 302
expect_header 'Location: /elsewhere\?a=1$'
req '/status?code=301&reason=Moved&location=http://example.com/'
expect_code 301
expect_header 'Location: http://example.com/$'
end

begin "status: custom headers pass; hop-by-hop ones from the handler are dropped"
use main
req '/status?header=hi&hop=1'
expect_code 200
expect_header 'X-Custom: hi$'
expect_body 'status handler: header=hi&hop=1\n'
expect_no_header 'Content-Length: 3$'
expect_no_header 'Keep-Alive: timeout=1000'
expect_no_header 'Connection: close'
raw 'GET /status?hop=1 HTTP/1.1\r\nHost: x\r\n\r\nGET /status?hop=2 HTTP/1.1\r\nHost: x\r\n\r\n' --responses 2
expect_raw "^1 body: b'status handler: hop=1\\\\n'$"
expect_raw "^2 body: b'status handler: hop=2\\\\n'$"
expect_raw '^open$'
end

begin "404: a path no route matches"
use main
for path in / /nowhere /echoes /statusx '/%65cho'; do
    req "$path"
    expect_code 404
    expect_header 'Content-Type: text/plain'
done
end

begin "500: a trapping handler; none of its output is sent"
use main
req /trap
expect_code 500
expect_error_body trap
expect_body_lacks PARTIAL
end

begin "500: the route's memory limit (max-memory 16MiB)"
use main
req /alloc
expect_code 500
expect_error_body memory
end

begin "500: call stack exhausted (max-stack 64KiB)"
use main
req /recurse
expect_code 500
expect_error_body stack
expect_body_lacks PARTIAL
end

begin "500: a handler exiting non-zero after a good response"
use main
req '/exit?code=3'
expect_code 500
expect_header 'Content-Type: text/plain'
expect_body_lacks 'exiting with'
req '/exit?code=0'
expect_code 200
expect_body 'exiting with 0\n'
end

begin "502: malformed handler output"
use main
for kind in noblank nocolon empty norequired badstatus status999 control badname toomany huge; do
    req "/bad?$kind"
    [[ $skip -eq 1 || $code == 502 ]] || fail_because "$kind: status $code, want 502"
    expect_header 'Content-Type: text/plain'
done
end

begin "504: a spinning handler stops at the route's timeout (1s)"
use main
t0=$(now_ms)
req /loop
expect_code 504
expect_error_body timeout
expect_body_lacks PARTIAL
[[ $skip -eq 1 || $(($(now_ms) - t0)) -lt 8000 ]] || fail_because "took $(($(now_ms) - t0)) ms"
end

begin "504: a sleeping handler stops at the route's timeout (1s)"
use main
req '/sleep?ms=200'
expect_code 200
expect_body 'slept 200 ms ms=200\n'
t0=$(now_ms)
req '/sleep?ms=60000'
expect_code 504
expect_error_body timeout
[[ $skip -eq 1 || $(($(now_ms) - t0)) -lt 8000 ]] || fail_because "took $(($(now_ms) - t0)) ms"
end

begin "504: fuel exhausted (fuel 1000000)"
use main
req /spin-fuel
expect_code 504
expect_error_body fuel
end

begin "limits: --timeout 1s on the command line: 504"
use timeout
t0=$(now_ms)
req /
expect_code 504
expect_error_body timeout
[[ $skip -eq 1 || $(($(now_ms) - t0)) -lt 8000 ]] || fail_because "took $(($(now_ms) - t0)) ms"
end

begin "limits: --fuel on the command line: 504"
use fuel
req /
expect_code 504
expect_error_body fuel
end

begin "limits: --max-memory 16MiB on the command line: 500"
use memory
req /
expect_code 500
expect_error_body memory
end

begin "limits: --max-stack 64KiB on the command line: 500"
use stack
req /
expect_code 500
expect_error_body stack
end

# ================================================================= files

begin "files: a --dir-ro grant is readable"
use main
req '/files?name=hello.txt'
expect_code 200
expect_body 'hello from the data dir\n'
req '/files?name=sub/nested.txt'
expect_code 200
expect_body 'nested\n'
end

begin "files: ../ and absolute paths cannot leave it"
use main
for file in ../secret.txt sub/../../secret.txt /secret.txt "$tmp/secret.txt"; do
    req "/files?name=$file"
    expect_code 404
    expect_body_lacks 'TOP SECRET'
done
end

begin "files: it is read-only"
use main
req '/files?write=new.txt'
expect_code 403
[[ $skip -eq 1 || ! -e $tmp/data/new.txt ]] || fail_because "new.txt was created"
end

# ================================================================= HTTP

begin "http: keep-alive: 6 requests on one connection, then Connection: close"
use main
client keepalive /echo/ka 6
end

begin "http: pipelining: three requests in one write, answered in order"
use main
raw 'GET /echo/one?n=1 HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo/two HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /echo/three HTTP/1.1\r\nHost: x\r\n\r\n' --responses 3
expect_raw '^1 status: 200 '
expect_raw '^1 header x-env-path_info: /one$'
expect_raw '^1 header x-env-query_string: n=1$'
expect_raw '^2 status: 200 '
expect_raw '^2 header x-env-path_info: /two$'
expect_raw "^2 body: b'hello'$"
expect_raw '^3 status: 200 '
expect_raw '^3 header x-env-path_info: /three$'
expect_raw '^open$'
end

begin "http: a chunked request body is de-chunked byte for byte"
use main
client body /echo 300000 chunked
raw 'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'
expect_raw '^1 status: 200 '
expect_raw "^1 body: b'abc'$"
end

begin "http: a 512 KiB binary body is echoed byte for byte"
use main
client body /echo 524288 length
end

begin "http: Expect: 100-continue is answered at once"
use main
if [[ $skip -eq 0 ]]; then
    head -c 300000 /dev/urandom >"$tmp/upload.bin"
    t0=$(now_ms)
fi
# curl waits --expect100-timeout for the 100 before it sends the body anyway
req /echo -H 'Expect: 100-continue' --expect100-timeout 5 --data-binary "@$tmp/upload.bin"
expect_code 200
if [[ $skip -eq 0 ]]; then
    cmp -s "$tmp/b" "$tmp/upload.bin" || fail_because "the echoed body differs"
    [[ $(($(now_ms) - t0)) -lt 4000 ]] || fail_because "took $(($(now_ms) - t0)) ms: no 100 Continue"
fi
end

begin "http: a 3 MB response arrives whole"
use main
req '/big?n=3000000'
expect_code 200
if [[ $skip -eq 0 ]]; then
    python3 -c 'import sys; sys.stdout.buffer.write(bytes(i % 251 for i in range(3000000)))' >"$tmp/big.expected"
    cmp -s "$tmp/b" "$tmp/big.expected" || fail_because "the body differs ($(stat -c %s "$tmp/b") bytes)"
fi
end

begin "http: 400 for malformed requests, then the connection is closed"
use main
for bad in 'GARBAGE\r\n\r\n' \
    'GET /echo HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n' \
    'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n' \
    'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n' \
    'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab' \
    'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n' \
    'GET /echo HTTP/1.1\r\nHost: x\r\nX-Bad: a\x00b\r\n\r\n' \
    'GET /echo HTTP/1.1\r\nHost: x\r\nX-Bad: \x1b[31m\r\n\r\n'; do
    raw "$bad"
    [[ $skip -eq 1 ]] && continue
    grep -q '^1 status: 400 ' "$tmp/c" || fail_because "$bad: not 400 ($(head -n 1 "$tmp/c"))"
    grep -q "^1 body: b'400 Bad Request: malformed request (" "$tmp/c" ||
        fail_because "$bad: the body does not name the parse error"
    grep -q '^closed$' "$tmp/c" || fail_because "$bad: the connection stayed open"
done
end

begin "http: 413 for a body over the default --max-body (1MiB)"
use main
client toolarge /echo 2097152 length
client body /echo 1048576 length
end

begin "http: 413 for a body over --max-body 64KiB (Content-Length and chunked)"
use limits
client toolarge / 100000 length
client toolarge / 100000 chunked
client body / 65536 length
end

begin "http: 431 for headers over --max-headers 4KiB; 3 KiB pass"
use limits
big_header=$(head -c 6000 /dev/zero | tr '\0' a)
req / -H "X-Big: $big_header"
expect_code 431
expect_error_body 'larger than --max-headers'
req / -H "X-Big: ${big_header:0:3000}"
expect_code 200
end

begin "http: 431 for headers over the default --max-headers (16KiB)"
use main
big_header=$(head -c 20000 /dev/zero | tr '\0' a)
req /echo -H "X-Big: $big_header"
expect_code 431
req /echo -H "X-Big: ${big_header:0:8000}"
expect_code 200
end

begin "http: slowloris: clients dripping headers do not stop others; 408 after --read-timeout 2s"
use limits
client slowloris / 2 4
end

begin "http: a body that never completes: 408 after --read-timeout 2s"
use limits
client slowbody / 2
end

begin "http: an idle keep-alive connection is closed quietly after --idle-timeout 1s"
use limits
client idle / 1
end

begin "http: a client pipelining 404s without end does not hold the loop from others"
use main
client flood /no-such-route /echo
end

begin "http: a client resetting its connection while its handler runs costs no CPU spin"
use main
client reset /sleep 1500 "${PID[main]:-0}"
end

begin "http: --max-connections 4: the fifth gets 503 and is closed"
use conns
client maxconn / 4
end

# ================================================================= load

begin "load: 200 requests over 32 connections, each answered with its own body"
use main
client concurrent /echo 200 32
end

begin "load: trapping handlers among successful ones"
use main
client concurrent /echo 100 16 /trap
end

begin "overload: 1 worker, --queue 1, 8 slow requests at once: 503 + Retry-After, none lost"
use overload
client overload / 8 1000
end

# ================================================================= routes

begin "routes: prefixes on '/' boundaries, longest first, per-route env, 404 elsewhere"
use reload
req /a
expect_code 200
expect_header 'X-Env-ROUTE_NAME: a$'
expect_header 'X-Env-SCRIPT_NAME: /a$'
expect_header 'X-Env-X_MATCHED_ROUTE: /a'
req /a/x/y
expect_code 200
expect_header 'X-Env-ROUTE_NAME: a$'
expect_header 'X-Env-PATH_INFO: /x/y$'
req /a/b/c
expect_code 200
expect_header 'X-Env-ROUTE_NAME: a-b$'
expect_header 'X-Env-SCRIPT_NAME: /a/b$'
expect_header 'X-Env-PATH_INFO: /c$'
req /b
expect_code 200
expect_body 'status handler: \n'
for path in /c /ab / /bb; do
    req "$path"
    expect_code 404
done
end

begin "routes: SIGHUP reloads the edited file"
use reload
if [[ $skip -eq 0 ]]; then
    write_reload_routes 2
    kill -HUP "${PID[reload]}"
    for ((i = 0; i < 50; i++)); do
        req /c
        [[ $code == 200 ]] && break
        sleep 0.2
    done
fi
expect_code 200
req /a
expect_header 'X-Env-ROUTE_NAME: a2$'
req /b
expect_code 404
req /a/b/c
expect_header 'X-Env-ROUTE_NAME: a2$'
expect_header 'X-Env-PATH_INFO: /b/c$'
end

begin "routes: a broken file on SIGHUP keeps the routes in force"
use reload
if [[ $skip -eq 0 ]]; then
    write_reload_routes 2
    printf 'routes:\n  - path: /zzz\n    module: echo.wasm\n    nonsense: 1\n' >"$tmp/reload/routes.yaml"
    lines=$(wc -l <"$tmp/reload.err")
    kill -HUP "${PID[reload]}"
    sleep 1
    tail -n +$((lines + 1)) "$tmp/reload.err" | grep -q 'routes\.yaml' ||
        fail_because "no message naming routes.yaml on stderr"
fi
req /c
expect_code 200
req /zzz
expect_code 404
end

# ================================================================= metrics

# metric NAME — the sum of every series of NAME in $tmp/b (0 when none);
# NAME{labels} (as the server writes them) is that one series.
metric() {
    awk -v n="$1" '$1 == n || index($1, n "{") == 1 { s += $NF } END { printf "%.6f\n", s + 0 }' "$tmp/b"
}

begin "metrics: /metrics on the admin port in Prometheus text; the counters move"
use main
port=${ADMIN[main]:-1}
req /metrics
expect_code 200
expect_header 'Content-Type: text/plain'
if [[ $skip -eq 0 ]]; then
    badline=$(grep -Ev '^(# (HELP|TYPE) .*|[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [-+0-9.eEInfaN]+( [0-9]+)?)$' "$tmp/b" |
        grep -v '^$' | head -n 3 || true)
    [[ -z $badline ]] || fail_because "not Prometheus text: $badline"
    [[ $(metric wasmbox_workers) == 2.000000 ]] || fail_because "wasmbox_workers $(metric wasmbox_workers), want 2"
    grep -q '^wasmbox_instantiate_seconds_count' "$tmp/b" || fail_because "no wasmbox_instantiate_seconds_count"
    grep -q '^wasmbox_instantiate_seconds_sum' "$tmp/b" || fail_because "no wasmbox_instantiate_seconds_sum"
    cp "$tmp/b" "$tmp/metrics.before"
    counters=$(awk '$1 == "#" && $2 == "TYPE" && $4 == "counter" { print $3 }' "$tmp/b")
    declare -A before=()
    by_code=('wasmbox_requests_total{code="200"}' 'wasmbox_requests_total{code="500"}')
    for m in $counters wasmbox_instantiate_seconds_count "${by_code[@]}"; do
        before[$m]=$(metric "$m")
    done
    port=${PORT[main]}
    for i in 1 2 3 4 5; do req "/echo/m$i"; done
    req /trap
    port=${ADMIN[main]:-1}
    req /metrics
    inst=$(awk -v a="${before[wasmbox_instantiate_seconds_count]}" -v b="$(metric wasmbox_instantiate_seconds_count)" \
        'BEGIN { print (b - a >= 6) ? "yes" : "no" }')
    [[ $inst == yes ]] || fail_because "wasmbox_instantiate_seconds_count went from ${before[wasmbox_instantiate_seconds_count]} to $(metric wasmbox_instantiate_seconds_count) over 6 requests"
    moved=""
    for m in $counters; do
        [[ $(awk -v a="${before[$m]}" -v b="$(metric "$m")" 'BEGIN { print (b - a >= 6) }') == 1 ]] && moved+="$m "
    done
    note "counters that moved by 6 or more: ${moved:-none}"
    [[ -n $moved ]] || fail_because "no counter (# TYPE ... counter) moved by 6 over 6 requests"
    for m in "${by_code[@]}"; do
        want=5 && [[ $m == *500* ]] && want=1
        [[ $(awk -v a="${before[$m]}" -v b="$(metric "$m")" -v w=$want 'BEGIN { print (b - a >= w) }') == 1 ]] ||
            fail_because "$m went from ${before[$m]} to $(metric "$m"), want +$want or more"
    done
    sum=$(metric wasmbox_instantiate_seconds_sum)
    [[ $(awk -v s="$sum" 'BEGIN { print (s > 0 && s < 60) }') == 1 ]] ||
        fail_because "wasmbox_instantiate_seconds_sum $sum"
fi
end

begin "metrics: the admin port serves only /metrics; the main port has no /metrics"
use main
port=${ADMIN[main]:-1}
req /echo
expect_code 404
port=${PORT[main]:-1}
req /metrics
expect_code 404
end

# ================================================================= access log

begin "log: one line per request: TIME ADDR \"METHOD TARGET HTTP/1.1\" STATUS BYTES DURATIONms fuel=N mem=BYTES"
use main
req '/status?log=1' -H 'X-Log: 1'
req /nowhere-logged
req '/trap?logged'
if [[ $skip -eq 0 ]]; then
    # fuel and mem are numbers when a handler ran, "-" when none did; a
    # line may end with an error="..." saying why the handler failed
    re_addr=' 127\.0\.0\.1(:[0-9]+)? '
    re_ran=' [0-9]+(\.[0-9]+)?ms fuel=[0-9]+ mem=[0-9]+( error="([^"\\]|\\.)*")?$'
    re_any=' [0-9]+(\.[0-9]+)?ms fuel=([0-9]+|-) mem=([0-9]+|-)( error="([^"\\]|\\.)*")?$'
    for want in '"GET /status\?log=1 HTTP/1\.1" 200 22'"$re_ran" \
        '"GET /nowhere-logged HTTP/1\.1" 404 [0-9]+'"$re_any" \
        '"GET /trap\?logged HTTP/1\.1" 500 [0-9]+'"$re_ran"; do
        key=${want%%\" *}\" # the request part
        for ((i = 0; i < 20; i++)); do
            grep -Eq -- "$key" "$tmp/main.log" && break
            sleep 0.1
        done
        line=$(grep -E -- "$key" "$tmp/main.log" || true)
        if [[ -z $line ]]; then
            fail_because "no line with /$key/"
        elif [[ $(wc -l <<<"$line") -ne 1 ]]; then
            fail_because "$(wc -l <<<"$line") lines with /$key/"
        elif ! grep -Eq -- "^[^ ].*$re_addr$want" <<<"$line"; then
            fail_because "line [$line] is not /TIME$re_addr$want/"
        fi
    done
    note "access log, last lines:"
    tail -n 5 "$tmp/main.log" >>"$tmp/case.log"
    bad=$(grep -Ev -- "$re_addr\"[^\"]*\" [0-9]{3} [0-9]+$re_any" "$tmp/main.log" | head -n 2 || true)
    [[ -z $bad ]] || fail_because "lines not in the format: $bad"
fi
end

begin "log: --quiet writes no access log"
use memory
req /
expect_code 500
sleep 0.2
[[ $skip -eq 1 || ! -s $tmp/memory.log ]] || fail_because "stdout: $(head -c 200 "$tmp/memory.log")"
end

# ================================================================= shutdown

# signal_server NAME SIGNAL — sends it, noting the time.
signal_server() {
    signal_ms=$(now_ms)
    kill -"$2" "${PID[$1]}" 2>/dev/null || true
}
# wait_server NAME — waits (20 s at most, then SIGKILL) for the server to
# exit: its status in $rc ("hung" when it had to be killed), the time since
# the signal in $stop_ms.
wait_server() {
    local i
    for ((i = 0; i < 200; i++)); do
        kill -0 "${PID[$1]}" 2>/dev/null || break
        sleep 0.1
    done
    local hung=0
    if kill -0 "${PID[$1]}" 2>/dev/null; then
        kill -KILL "${PID[$1]}" 2>/dev/null || true
        hung=1
    fi
    rc=0
    wait "${PID[$1]}" 2>/dev/null || rc=$?
    [[ $hung -eq 0 ]] || rc="hung (still running 20 s after the signal)"
    stop_ms=$(($(now_ms) - signal_ms))
    STATE[$1]=stopped
    unset "PID[$1]"
}
# no_sanitizer_report NAME — fails the case if the server's stderr has one.
no_sanitizer_report() {
    if grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:|AddressSanitizer' "$tmp/$1.err"; then
        fail_because "a sanitizer report on stderr"
        grep -A 30 -m 1 -E 'Sanitizer|runtime error' "$tmp/$1.err" >>"$tmp/case.log"
    fi
}

begin "shutdown: SIGTERM with a request in flight: it completes, new connections are refused, exit 0"
use grace
if [[ $skip -eq 0 && ${STATE[grace]} == running ]]; then
    "${client[@]}" raw "$port" 'GET /?ms=1500&id=inflight HTTP/1.1\r\nHost: x\r\n\r\n' \
        >"$tmp/inflight" 2>&1 &
    inflight=$!
    sleep 0.5
    signal_server grace TERM
    sleep 0.3
    crc=0
    got=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/?ms=1" \
        2>"$tmp/curl.err") || crc=$?
    note "a new connection after SIGTERM: curl status $crc, HTTP status $got: $(cat "$tmp/curl.err")"
    [[ $crc -eq 7 ]] || fail_because "a new connection after SIGTERM was not refused (curl status $crc, HTTP $got)"
    wait "$inflight" || true
    cat "$tmp/inflight" >>"$tmp/case.log"
    grep -q '^1 status: 200 ' "$tmp/inflight" ||
        fail_because "the in-flight request got: $(head -n 1 "$tmp/inflight")"
    grep -q 'slept 1500 ms' "$tmp/inflight" || fail_because "the in-flight request's body is wrong"
    wait_server grace
    [[ $rc == 0 ]] || fail_because "exit status $rc"
    no_sanitizer_report grace
fi
end

begin "shutdown: SIGINT with --grace 1s cuts off a longer request; exit 0 within the grace"
use grace-short
if [[ $skip -eq 0 && ${STATE[grace-short]} == running ]]; then
    "${client[@]}" raw "$port" 'GET /?ms=30000 HTTP/1.1\r\nHost: x\r\n\r\n' --timeout 15 \
        >"$tmp/inflight" 2>&1 &
    inflight=$!
    sleep 0.5
    signal_server grace-short INT
    wait_server grace-short
    [[ $rc == 0 ]] || fail_because "exit status $rc"
    [[ $stop_ms -lt 6000 ]] || fail_because "took $stop_ms ms to exit with --grace 1s"
    wait "$inflight" || true
    cat "$tmp/inflight" >>"$tmp/case.log"
    ! grep -q '^timeout' "$tmp/inflight" || fail_because "the cut-off request hung"
    no_sanitizer_report grace-short
fi
end

# Every server still running: SIGTERM, exit 0, no sanitizer report.
for srv in main single hello timeout fuel memory stack limits overload conns reload; do
    [[ ${STATE[$srv]:-} == running || ${STATE[$srv]:-} == died ]] || continue
    name="server $srv: exits 0 on SIGTERM with no sanitizer report" why=() skip=0 server=""
    : >"$tmp/case.log"
    if [[ ${STATE[$srv]} == died ]]; then
        fail_because "it had died"
        wait "${PID[$srv]}" 2>/dev/null || true
        unset "PID[$srv]"
    else
        signal_server "$srv" TERM
        wait_server "$srv"
        [[ $rc == 0 ]] || fail_because "exit status $rc"
    fi
    no_sanitizer_report "$srv"
    [[ ${#why[@]} -eq 0 ]] || tail -n 20 "$tmp/$srv.err" >>"$tmp/case.log"
    end
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
