#!/usr/bin/env bash
# bench.sh — `make bench`: the benchmark anyone can repeat. Builds the
# CPU-bound C programs in bench/ natively (clang -O2) and for wasm32-wasi
# (clang --target=wasm32-wasi -O2) into build/bench/, runs them interleaved
# on native, wasmbox and (when installed) node, checks that every run prints
# exactly what the native one prints, and reports medians, ratios, peak RSS,
# cold start, in-process embedding costs and the cost of --fuel/--timeout.
# bench/README.md says what each program does and how to read the output.
#
# Environment:
#   BENCH_RUNS=N         timed runs per program and runtime (default 5)
#   BENCH_FILTER=REGEX   only the programs whose name matches (grep -E)
#   BENCH_QUICK=1        smoke run: 1 iteration per program, 1 run, short
#                        cold-start and embedding loops
#   BENCH_MODE=wasi      run each program's _start through WASI (default);
#             =invoke    call its exported bench_run(ITERATIONS) with
#                        `wasmbox run --invoke` instead (no WASI needed: the
#                        engine alone); the checksum is compared
#   BENCH_LIMIT_RUNS=N   runs with --fuel and with --timeout per program
#                        (default 2; 0 skips them)
#   BENCH_RUN_TIMEOUT=S  kill a run after S seconds, a failure (default 300)
#   WASMBOX=PATH         the wasmbox binary (default build/wasmbox)
#
# A run that exits non-zero or whose stdout differs from native's is a
# FAILURE: reported at once and in the summary, and the script exits 1.
set -euo pipefail

cd "$(dirname "$0")/.."

started=$SECONDS
RUNS=${BENCH_RUNS:-5}
FILTER=${BENCH_FILTER:-}
QUICK=${BENCH_QUICK:-0}
MODE=${BENCH_MODE:-wasi}
LIMIT_RUNS=${BENCH_LIMIT_RUNS:-2}
RUN_TIMEOUT=${BENCH_RUN_TIMEOUT:-300}
WASMBOX=${WASMBOX:-build/wasmbox}
OUT=build/bench
CLANG=${CLANG:-clang}
CFLAGS_NATIVE=(-O2 -Wall -Wextra)
CFLAGS_WASM=(--target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra)
FUEL=1000000000000000 # 10^15: never runs out here
COLD_RUNS=50
EMBED_SAMPLES=10000
EMBED_INSTANCES=1000
if [[ $QUICK == 1 ]]; then
    RUNS=${BENCH_RUNS:-1}
    LIMIT_RUNS=${BENCH_LIMIT_RUNS:-1}
    COLD_RUNS=5
    EMBED_SAMPLES=1000
    EMBED_INSTANCES=100
fi

die() {
    echo "bench: $*" >&2
    exit 2
}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive number, not '$RUNS'"
[[ $LIMIT_RUNS =~ ^[0-9]+$ ]] || die "BENCH_LIMIT_RUNS must be a number, not '$LIMIT_RUNS'"
[[ $RUN_TIMEOUT =~ ^[0-9]+$ ]] || die "BENCH_RUN_TIMEOUT must be a number, not '$RUN_TIMEOUT'"
[[ $MODE == wasi || $MODE == invoke ]] || die "BENCH_MODE must be wasi or invoke, not '$MODE'"
((LIMIT_RUNS <= RUNS)) || LIMIT_RUNS=$RUNS
[[ -x $WASMBOX ]] || die "$WASMBOX is missing: run 'make' first (or 'make bench')"
command -v "$CLANG" >/dev/null || die "$CLANG is missing: run 'scripts/install-deps.sh bench'"

# ------------------------------------------------------------------ header
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
os=$(sed -n 's/^PRETTY_NAME="\(.*\)"/\1/p' /etc/os-release 2>/dev/null || true)
mem_kib=$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -z $(git status --porcelain 2>/dev/null) ]] || commit+=" + uncommitted changes"
cmd=scripts/bench.sh
for var in BENCH_RUNS BENCH_FILTER BENCH_QUICK BENCH_MODE BENCH_LIMIT_RUNS BENCH_RUN_TIMEOUT \
    WASMBOX CLANG; do
    value=$(printenv "$var" || true)
    [[ -z $value ]] || cmd="$var=${value@Q} $cmd"
done
[[ -z ${MAKELEVEL:-} ]] || cmd+="   (via make bench)"

echo "wasmbox benchmark"
echo "  date     $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "  command  $cmd"
echo "  machine  ${cpu:-unknown CPU}, $(nproc) cores, $((mem_kib / 1024)) MiB, ${os:-unknown OS}, Linux $(uname -r)"
echo "  load     $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min averages at start)"
echo "  wasmbox  $("$WASMBOX" --version 2>&1 | head -n 1) ($WASMBOX, commit $commit)"
echo "  clang    $("$CLANG" --version | head -n 1)"
echo "  runs     $RUNS per program and runtime, interleaved; medians; mode $MODE"

# ------------------------------------------------------------------ build
mkdir -p "$OUT/native" "$OUT/ref" "$OUT/run"
TMP=$OUT/run

# fresh TARGET SOURCES...: true when TARGET exists and is newer than every source.
fresh() {
    local target=$1 src
    shift
    [[ -e $target ]] || return 1
    for src in "$@"; do
        [[ $target -nt $src ]] || return 1
    done
}

# compile TARGET SOURCE FLAGS...: runs the compiler only when TARGET is stale.
compile() {
    local target=$1 src=$2
    shift 2
    fresh "$target" "$src" "$0" && return 0 # this script holds the flags
    if ! "$CLANG" "$@" -o "$target" "$src" -lm; then
        echo "bench: cannot build $target (missing packages? run 'scripts/install-deps.sh bench')" >&2
        exit 2
    fi
}

compile "$OUT/timeit" bench/timeit.c -O2 -Wall -Wextra
TIMEIT=$OUT/timeit

# An empty program for the cold-start numbers, native and wasm.
cat >"$TMP/empty.c.new" <<'EOF'
/* empty.c — written by scripts/bench.sh: the empty program of the cold-start benchmark. */
unsigned bench_run(unsigned n);
unsigned bench_run(unsigned n) { return n; }
#ifndef BENCH_KERNEL
int main(void) { return 0; }
#endif
EOF
cmp -s "$TMP/empty.c.new" "$OUT/empty.c" 2>/dev/null || mv "$TMP/empty.c.new" "$OUT/empty.c"
rm -f "$TMP/empty.c.new"

KERNEL_FLAGS=(-DBENCH_KERNEL -nostartfiles "-Wl,--no-entry" "-Wl,--export=bench_run")
build_program() { # NAME SOURCE
    local name=$1 src=$2
    compile "$OUT/native/$name" "$src" "${CFLAGS_NATIVE[@]}"
    compile "$OUT/$name.wasm" "$src" "${CFLAGS_WASM[@]}"
    if [[ $MODE == invoke ]]; then
        compile "$OUT/$name.kernel.wasm" "$src" "${CFLAGS_WASM[@]}" "${KERNEL_FLAGS[@]}"
    fi
}

programs=()
for src in bench/*.c; do
    name=$(basename "$src" .c)
    case $name in embed_bench | timeit) continue ;; esac
    [[ -z $FILTER ]] || grep -Eq -- "$FILTER" <<<"$name" || continue
    programs+=("$name")
done
((${#programs[@]} > 0)) || die "no program matches BENCH_FILTER='$FILTER'"

echo
echo "Building ${#programs[@]} programs (native and wasm32-wasi, -O2) into $OUT/ ..."
build_program empty "$OUT/empty.c"
declare -A ITERS
for name in "${programs[@]}"; do
    build_program "$name" "bench/$name.c"
    if [[ $QUICK == 1 ]]; then
        ITERS[$name]=1
    else
        ITERS[$name]=$(sed -n 's/^#define DEFAULT_ITERS \([0-9][0-9]*\).*/\1/p' "bench/$name.c")
        [[ -n ${ITERS[$name]} ]] || die "bench/$name.c has no '#define DEFAULT_ITERS N'"
    fi
done

# The embedding benchmark links the library (the Makefile builds it too).
EMBED=$OUT/embed_bench
if ! fresh "$EMBED" bench/embed_bench.c include/wasmbox.h build/libwasmbox.a; then
    "${CC:-cc}" -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra -Iinclude \
        -o "$EMBED" bench/embed_bench.c build/libwasmbox.a -lm ||
        die "cannot build $EMBED"
fi

# ------------------------------------------------------------------ runtimes
failures=()
limit_rts=()
declare -A FAILED WALL RSS

# fail KEY RUN_LABEL MESSAGE: records a failure and says so at once.
fail() {
    local key=$1 label=$2 msg=$3
    FAILED[$key]=1
    failures+=("$key ($label): $msg")
    {
        echo
        echo "FAILURE: $key ($label): $msg"
        if [[ -s $TMP/out ]]; then
            echo "  stdout: $(head -c 300 "$TMP/out" | head -n 3)"
        fi
        if [[ -s $TMP/err ]]; then
            echo "  stderr: $(tail -n 5 "$TMP/err" | head -c 600)"
        fi
    } >&2
}

# Does wasmbox run WASI commands? An empty main must exit 0.
wasmbox_ok=1
wasmbox_why=
if [[ $MODE == wasi ]]; then
    if ! "$WASMBOX" run "$OUT/empty.wasm" >"$TMP/out" 2>"$TMP/err"; then
        wasmbox_ok=0
        wasmbox_why=$(head -n 2 "$TMP/err")
        echo "FAILURE: wasmbox cannot run a WASI command yet ($WASMBOX run $OUT/empty.wasm):" >&2
        echo "  ${wasmbox_why:-exit status non-zero, no message}" >&2
        echo "  (BENCH_MODE=invoke measures the engine without WASI)" >&2
        failures+=("wasmbox: cannot run a WASI command: ${wasmbox_why:-no message}")
    fi
fi

# node, when installed and its node:wasi works.
node_ok=0
node_note=
if ! command -v node >/dev/null; then
    node_note="node: not installed, column skipped (BENCH_NODE=1 scripts/install-deps.sh bench installs Debian's nodejs)"
elif node --no-warnings bench/node-wasi.mjs "$OUT/empty.wasm" >"$TMP/out" 2>"$TMP/err"; then
    node_ok=1
    node_note="node: $(node --version) (V8 $(node -p process.versions.v8)), through bench/node-wasi.mjs"
else
    node_note="node: $(node --version) has no usable node:wasi ($(head -n 1 "$TMP/err")), column skipped"
fi

# Do the limit flags exist yet?
run_help=$("$WASMBOX" run --help 2>&1 || true)
has_fuel=0
has_timeout=0
has_interp=0
[[ $run_help == *--interpreter* ]] && has_interp=1
[[ $run_help == *--fuel* ]] && has_fuel=1
[[ $run_help == *--timeout* ]] && has_timeout=1

# command RUNTIME NAME: prints the command line (one word per line).
command_for() {
    local rt=$1 name=$2 n=${ITERS[$2]}
    local wasm=$OUT/$name.wasm
    case $rt in
    native) printf '%s\n' "$OUT/native/$name" "$n" ;;
    wasmbox | interp | fuel | timeout)
        printf '%s\n' "$WASMBOX" run
        [[ $rt == interp ]] && printf '%s\n' --interpreter
        [[ $rt == fuel ]] && printf '%s\n' --fuel "$FUEL"
        [[ $rt == timeout ]] && printf '%s\n' --timeout 1h
        if [[ $MODE == invoke ]]; then
            printf '%s\n' --invoke bench_run "$OUT/$name.kernel.wasm" "$n"
        else
            printf '%s\n' "$wasm" "$n"
        fi
        ;;
    node)
        printf '%s\n' node --no-warnings bench/node-wasi.mjs
        if [[ $MODE == invoke ]]; then
            printf '%s\n' --invoke bench_run "$OUT/$name.kernel.wasm" "$n"
        else
            printf '%s\n' "$wasm" "$n"
        fi
        ;;
    esac
}

# output_matches RUNTIME NAME: did the run just made print what native printed?
# (In invoke mode a wasm runtime prints bench_run's i32 result: it is turned
# into native's "NAME(N) = 0xCHECKSUM" and compared with that part.)
output_matches() {
    local rt=$1 name=$2 got want
    if [[ $MODE == wasi || $rt == native ]]; then
        cmp -s "$TMP/out" "$OUT/ref/$name.txt"
        return
    fi
    got=$(head -n 1 "$TMP/out")
    [[ $got =~ ^-?[0-9]+$ ]] || return 1
    got=$(printf '%s(%s) = 0x%08x' "$name" "${ITERS[$name]}" $((got & 0xFFFFFFFF)))
    want=$(sed -n '1s/^\([a-z0-9_]*([0-9]*) = 0x[0-9a-f]*\).*/\1/p' "$OUT/ref/$name.txt")
    [[ $got == "$want" ]]
}

# measure RUNTIME NAME RUN: one timed run, checked; records wall µs and RSS KiB.
measure() {
    local rt=$1 name=$2 run=$3 key="$1/$2" line wall rss status
    [[ -z ${FAILED[$key]:-} ]] || return 0
    local -a cmd
    mapfile -t cmd < <(command_for "$rt" "$name")
    if ! line=$("$TIMEIT" -t "$RUN_TIMEOUT" -o "$TMP/out" -e "$TMP/err" -- "${cmd[@]}"); then
        fail "$key" "run $run" "timeit failed: $line"
        return 0
    fi
    read -r wall rss status <<<"$line"
    if [[ $status == 137 ]] && ((RUN_TIMEOUT > 0 && wall >= RUN_TIMEOUT * 1000000)); then
        fail "$key" "run $run" "killed after ${RUN_TIMEOUT}s (BENCH_RUN_TIMEOUT)"
    elif [[ $status != 0 ]]; then
        fail "$key" "run $run" "exit status $status: ${cmd[*]}"
    elif ! output_matches "$rt" "$name"; then
        fail "$key" "run $run" "stdout differs from native's '$(head -n 1 "$OUT/ref/$name.txt")': ${cmd[*]}"
    else
        WALL[$key]+=" $wall"
        RSS[$key]+=" $rss"
    fi
}

# Reference outputs: one untimed native run each (also warms the caches).
for name in "${programs[@]}"; do
    if ! "$OUT/native/$name" "${ITERS[$name]}" >"$OUT/ref/$name.txt" 2>"$TMP/err"; then
        die "native $name failed: $(cat "$TMP/err")"
    fi
done

runtimes=(native)
((wasmbox_ok)) && runtimes+=(wasmbox)
((wasmbox_ok && has_interp)) && runtimes+=(interp)
((node_ok)) && runtimes+=(node)
((wasmbox_ok && has_fuel)) && limit_rts+=(fuel)
((wasmbox_ok && has_timeout)) && limit_rts+=(timeout)

echo "Running: ${runtimes[*]}${limit_rts:+ + wasmbox ${limit_rts[*]}} ..."
for ((run = 1; run <= RUNS; run++)); do
    printf '  run %d/%d:' "$run" "$RUNS" >&2
    for name in "${programs[@]}"; do
        printf ' %s' "$name" >&2
        for rt in "${runtimes[@]}"; do
            measure "$rt" "$name" "$run"
            # The limit runs sit right after the unlimited one they are compared with.
            if [[ $rt == wasmbox ]] && ((run <= LIMIT_RUNS)); then
                for lrt in ${limit_rts[@]+"${limit_rts[@]}"}; do
                    measure "$lrt" "$name" "$run"
                done
            fi
        done
    done
    echo >&2
done

# ------------------------------------------------------------------ report
# median <<<"numbers as words": the median, or nothing when there are none.
median() {
    awk '{ for (i = 1; i <= NF; i++) v[++n] = $i }
        END {
            if (n == 0) exit
            for (i = 2; i <= n; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
            print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        }'
}
# fastest [FIRST_N] <<<"numbers as words": the smallest (of the first N only).
fastest() {
    awk -v first="${1:-0}" '{ for (i = 1; i <= NF; i++) if (!first || n < first) { n++; if (n == 1 || $i < m) m = $i } }
        END { if (n) print m }'
}
# med_ms KEY / med_mib KEY: median wall time in ms / peak RSS in MiB, or nothing.
med_ms() { median <<<"${WALL[$1]:-}" | awk '{ printf "%.1f", $1 / 1000 }'; }
med_mib() { median <<<"${RSS[$1]:-}" | awk '{ printf "%.1f", $1 / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
geomean() { # <<<"ratios as words"
    awk '{ for (i = 1; i <= NF; i++) { s += log($i); n++ } } END { if (n) printf "%.2f", exp(s / n) }'
}
cell() { # VALUE or FAIL/n/a
    if [[ -n $1 ]]; then printf '%s' "$1"; else printf '%s' "$2"; fi
}

echo
echo "CPU-bound programs (wall time, median of $RUNS; ratio = runtime / native; RSS = peak)"
printf '%-11s %7s %10s %10s %8s %10s' program iters "native ms" "wasmbox ms" ratio "wb RSS MiB"
printf ' %10s' "native MiB"
# the columns after wasmbox's: its interpreter, and node
extra_rts=()
((has_interp)) && extra_rts+=(interp)
((node_ok)) && extra_rts+=(node)
for rt in ${extra_rts[@]+"${extra_rts[@]}"}; do printf ' %9s %7s' "$rt ms" ratio; done
echo
wb_ratios=
declare -A extra_ratios
for name in "${programs[@]}"; do
    n=$(med_ms "native/$name")
    w=$(med_ms "wasmbox/$name")
    miss=FAIL
    ((wasmbox_ok)) || miss="-"
    wr=
    if [[ -n $n && -n $w ]]; then
        wr=$(ratio "$w" "$n")
        wb_ratios+=" $wr"
    fi
    printf '%-11s %7s %10s %10s %8s %10s %10s' "$name" "${ITERS[$name]}" "$(cell "$n" FAIL)" \
        "$(cell "$w" "$miss")" "$(cell "${wr:+${wr}x}" "$miss")" \
        "$(cell "$(med_mib "wasmbox/$name")" "$miss")" "$(cell "$(med_mib "native/$name")" FAIL)"
    for rt in ${extra_rts[@]+"${extra_rts[@]}"}; do
        d=$(med_ms "$rt/$name")
        dr=
        if [[ -n $n && -n $d ]]; then
            dr=$(ratio "$d" "$n")
            extra_ratios[$rt]+=" $dr"
        fi
        xmiss=FAIL
        [[ $rt == interp ]] && xmiss=$miss
        printf ' %9s %7s' "$(cell "$d" "$xmiss")" "$(cell "${dr:+${dr}x}" "$xmiss")"
    done
    echo
done
gw=$(geomean <<<"$wb_ratios")
printf '%-11s %7s %10s %10s %8s %10s %10s' "geomean" "" "" "" "$(cell "${gw:+${gw}x}" -)" "" ""
for rt in ${extra_rts[@]+"${extra_rts[@]}"}; do
    g=$(geomean <<<"${extra_ratios[$rt]:-}")
    printf ' %9s %7s' "" "$(cell "${g:+${g}x}" -)"
done
echo
echo "  wasmbox: native code (the default on x86-64); interp: wasmbox run --interpreter"
[[ -z $wasmbox_why ]] || echo "  wasmbox: no numbers, it cannot run WASI commands yet: $wasmbox_why"
echo "  $node_note"
[[ $MODE == wasi ]] || echo "  mode invoke: wasm runtimes call bench_run() through --invoke (no WASI, no libc start-up)"

# ---- limits
echo
echo "Cost of the sandbox limits: wasmbox with a limit that is never reached / without"
echo "  (fastest of $LIMIT_RUNS runs each; each limited run follows the unlimited run it is compared with)"
limit_line() { # FLAG-TEXT RUNTIME HAS-FLAG
    local text=$1 rt=$2 has=$3 ratios='' name u l r g
    if ((!has)); then
        printf '  %-24s n/a (flag missing: wasmbox run --help does not list it)\n' "$text"
        return
    fi
    if ((!wasmbox_ok || LIMIT_RUNS == 0)); then
        printf '  %-24s n/a (%s)\n' "$text" "$( ((LIMIT_RUNS == 0)) && echo BENCH_LIMIT_RUNS=0 || echo wasmbox cannot run the programs)"
        return
    fi
    local details=
    for name in "${programs[@]}"; do
        # The unlimited runs of the same rounds.
        u=$(fastest "$LIMIT_RUNS" <<<"${WALL[wasmbox/$name]:-}")
        [[ -n $u ]] || continue
        l=$(fastest <<<"${WALL[$rt/$name]:-}")
        if [[ -z $l ]]; then
            details+=" $name FAIL"
            continue
        fi
        r=$(ratio "$l" "$u")
        ratios+=" $r"
        details+=" $name ${r}x"
    done
    g=$(geomean <<<"$ratios")
    printf '  %-24s %sx geomean over the programs\n' "$text" "$(cell "$g" FAIL)"
    printf '  %-24s %s\n' "" "${details# }"
}
limit_line "--fuel $FUEL" fuel "$has_fuel"
limit_line "--timeout 1h" timeout "$has_timeout"

# ---- cold start
echo
echo "Cold start: an empty main, a new process each time ($COLD_RUNS runs each, interleaved)"
cold_command() { # RUNTIME: prints the command line, one word per line
    case $1 in
    native) printf '%s\n' "$OUT/native/empty" ;;
    wasmbox)
        if [[ $MODE == invoke ]]; then
            printf '%s\n' "$WASMBOX" run --invoke bench_run "$OUT/empty.kernel.wasm" 0
        else
            printf '%s\n' "$WASMBOX" run "$OUT/empty.wasm"
        fi
        ;;
    node) printf '%s\n' node --no-warnings bench/node-wasi.mjs "$OUT/empty.wasm" ;;
    esac
}
cold_rts=(native)
((wasmbox_ok)) && cold_rts+=(wasmbox)
((node_ok)) && cold_rts+=(node)
for ((run = 1; run <= COLD_RUNS; run++)); do
    for rt in "${cold_rts[@]}"; do
        key=cold/$rt
        [[ -z ${FAILED[$key]:-} ]] || continue
        mapfile -t cmd < <(cold_command "$rt")
        line=$("$TIMEIT" -t "$RUN_TIMEOUT" -o "$TMP/out" -e "$TMP/err" -- "${cmd[@]}") || line="0 0 127"
        read -r wall rss status <<<"$line"
        if [[ $status != 0 ]]; then
            fail "$key" "run $run" "exit status $status: ${cmd[*]}"
            continue
        fi
        WALL[$key]+=" $wall"
        RSS[$key]+=" $rss"
    done
done
for rt in "${cold_rts[@]}"; do
    mapfile -t cmd < <(cold_command "$rt")
    label=${cmd[*]}
    label=${label/--no-warnings /}
    if [[ -n ${FAILED[cold/$rt]:-} ]]; then
        printf '  %-50s FAIL\n' "$label"
        continue
    fi
    printf '  %-50s %7.2f ms median, %.2f fastest   peak RSS %.1f MiB\n' "$label" \
        "$(median <<<"${WALL[cold/$rt]}" | awk '{ print $1 / 1000 }')" \
        "$(fastest <<<"${WALL[cold/$rt]}" | awk '{ print $1 / 1000 }')" \
        "$(median <<<"${RSS[cold/$rt]}" | awk '{ print $1 / 1024 }')"
done
((wasmbox_ok)) || printf '  %-50s FAIL (cannot run WASI commands yet)\n' "$WASMBOX run $OUT/empty.wasm"

# ---- embedding
echo
echo "Embedding, in process through include/wasmbox.h ($EMBED)"
if ! "$EMBED" "$EMBED_SAMPLES" "$EMBED_INSTANCES" 2>"$TMP/err"; then
    echo "  FAIL: $(head -n 3 "$TMP/err")"
    failures+=("embed_bench: $(head -n 1 "$TMP/err")")
fi

# ------------------------------------------------------------------ verdict
echo
if ((${#failures[@]} > 0)); then
    echo "FAILURES (${#failures[@]}): these runs are not numbers"
    printf '  %s\n' "${failures[@]}"
    echo "bench: $((SECONDS - started)) s, FAILED"
    exit 1
fi
echo "bench: $((SECONDS - started)) s, every run printed what native printed"
