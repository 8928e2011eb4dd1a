#!/usr/bin/env bash
# run.sh — the WASI test suite: C programs (tests/wasi/*.c) compiled to
# wasm32-wasi and run with `wasmbox run`, checking exit statuses, output and
# what happened to the host's files.
#
# Builds each tests/wasi/NAME.c into build/wasi/NAME.wasm when it is missing
# or older than its source or common.h, with
#   $WASI_CC --target=wasm32-wasi --sysroot=/usr -O2
# ($WASI_CC defaults to clang; Debian's clang, lld, wasi-libc and
# libclang-rt-14-dev-wasm32). Runs them with $WASMBOX (default
# build/asan/wasmbox).
#
# Each case gets a fresh tree in a temp dir, and wasmbox runs in it:
#   CASE/sandbox/   preopened as /sandbox (unless the case says otherwise):
#                   hello.txt "hello, sandbox\n", data.bin "0123456789abcdefghij",
#                   dir/{a.txt,b.txt,sub/}, empty/, inner_link -> hello.txt,
#                   link_rel -> ../outside/secret.txt, link_abs -> CASE/outside/
#                   secret.txt, linkdir -> ../outside, linkdir_abs -> CASE/outside
#   CASE/outside/   next to the sandbox: secret.txt "TOP SECRET\n", sub/file.txt
# After every case, outside/ must be byte for byte as it was (contents,
# names, types, modes, link counts, mtimes, symlink targets) and CASE/ must
# hold nothing else.
#
# The path_* and escape cases run twice: the second time ("no openat2: ...")
# with tests/wasi/native/no_openat2.c preloaded, so that wasmbox cannot use
# openat2 and confines paths with its fallback walk.
#
# Prints "ok - NAME" or "not ok - NAME (why)" per case (with wasmbox's
# output after a failure), then "N passed, N failed"; exits 1 if any failed.
# Run one group or case by name: bash tests/wasi/run.sh escape   (a
# substring of the case names).
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
WASMBOX=$(realpath "$WASMBOX") # cases run in their own directory
out=$PWD/build/wasi

tmp=$(mktemp -d)
feeder=""
cleanup() {
    [[ -n $feeder ]] && kill "$feeder" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
passed=0 failed=0

# ------------------------------------------------------------------ build

build_programs() {
    local bad=()
    if ! wasi_build "$out" tests/wasi/common.h -- tests/wasi/*.c; then
        echo "not ok - build the test programs ($wasi_error)"
        failed=$((failed + 1))
        return 1
    fi
    bad=("${wasi_failed[@]}")
    # the shim that hides openat2 (see native/no_openat2.c), with the host's cc
    local shim=tests/wasi/native/no_openat2.c
    if [[ ! -e $out/no_openat2.so || $shim -nt $out/no_openat2.so ]] &&
        ! "${CC:-cc}" -std=c11 -Wall -Wextra -shared -fPIC -O2 "$shim" \
            -o "$out/no_openat2.so" -ldl 2>"$tmp/build.log"; then
        sed 's/^/#   /' "$tmp/build.log"
        bad+=(no_openat2.so)
    fi
    if [[ ${#bad[@]} -gt 0 ]]; then
        echo "not ok - build the test programs (failed: ${bad[*]})"
        failed=$((failed + 1))
        return 1
    fi
    echo "ok - build the test programs ($wasi_built built, $wasi_fresh up to date)"
    passed=$((passed + 1))
}

# ------------------------------------------------------------------ the tree

make_tree() {
    local d=$1
    mkdir -p "$d/sandbox/dir/sub" "$d/sandbox/empty" "$d/outside/sub"
    printf 'hello, sandbox\n' >"$d/sandbox/hello.txt"
    printf '0123456789abcdefghij' >"$d/sandbox/data.bin"
    printf 'a\n' >"$d/sandbox/dir/a.txt"
    printf 'bb\n' >"$d/sandbox/dir/b.txt"
    ln -s hello.txt "$d/sandbox/inner_link"
    ln -s ../outside/secret.txt "$d/sandbox/link_rel"
    ln -s "$d/outside/secret.txt" "$d/sandbox/link_abs"
    ln -s ../outside "$d/sandbox/linkdir"
    ln -s "$d/outside" "$d/sandbox/linkdir_abs"
    printf 'TOP SECRET\n' >"$d/outside/secret.txt"
    printf 'outside file\n' >"$d/outside/sub/file.txt"
}

# tree_sum DIR — one checksum over everything in DIR: names, types, modes,
# link counts, sizes, mtimes, symlink targets and file contents.
tree_sum() {
    (
        cd "$1"
        find . -printf '%p %y %m %n %s %T@ %l\n' | LC_ALL=C sort
        find . -type f -exec sha256sum {} + | LC_ALL=C sort
    ) | sha256sum
}

# ------------------------------------------------------------------ cases

name="" dir="" rc=0 elapsed_ms=0 why=() stdin_src=/dev/null skip=0
preload="" # a library wb() preloads into wasmbox (the openat2 shim), or empty
P=""       # a prefix for case names (the second pass over path_* and escape)
outside_sum="" sandbox_sum="" check_sandbox=0

# begin NAME — starts a case with a fresh tree in $dir.
begin() {
    name=$1 why=() rc=0 elapsed_ms=0 stdin_src=/dev/null check_sandbox=0 skip=0
    if [[ -n $filter && $name != *"$filter"* ]]; then
        skip=1
        return
    fi
    dir=$tmp/case$((passed + failed))
    mkdir -p "$dir"
    make_tree "$dir"
    outside_sum=$(tree_sum "$dir/outside")
    sandbox_sum=$(tree_sum "$dir/sandbox")
}

# feed COMMAND... — the next wasmbox run reads its stdin from a pipe that
# COMMAND writes (run in the background; it may take its time).
feed() {
    [[ $skip -eq 1 ]] && return
    mkfifo "$dir.fifo"
    "$@" >"$dir.fifo" &
    feeder=$!
    stdin_src=$dir.fifo
}

# wb ARGS... — `wasmbox run ARGS...` in $dir: status in $rc, output in
# $dir.out and $dir.err, wall time in $elapsed_ms. A run that takes over
# 60 s is killed (status 143).
wb() {
    [[ $skip -eq 1 ]] && return
    local t0 t1
    t0=$(date +%s%N)
    set +e
    (
        cd "$dir"
        if [[ -n $preload ]]; then
            export LD_PRELOAD=$preload ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
        fi
        exec timeout -k 5 --preserve-status 60 "$WASMBOX" run "$@"
    ) <"$stdin_src" >"$dir.out" 2>"$dir.err"
    rc=$?
    set -e
    t1=$(date +%s%N)
    elapsed_ms=$(((t1 - t0) / 1000000))
    if [[ -n $feeder ]]; then
        kill "$feeder" 2>/dev/null || true
        wait "$feeder" 2>/dev/null || true
        feeder=""
    fi
    stdin_src=/dev/null
}

# guest PROG CASE [ARGS...] — runs build/wasi/PROG.wasm CASE ARGS with the
# sandbox preopened as /sandbox. WB_OPTS (an array) adds options.
WB_OPTS=()
guest() {
    local prog=$1
    shift
    wb --dir sandbox::/sandbox "${WB_OPTS[@]}" "$out/$prog.wasm" "$@"
}

fail_because() { why+=("$*"); }

expect_status() {
    [[ $skip -eq 1 || $rc -eq $1 ]] || fail_because "exit status $rc, want $1"
}

# expect_ok — the guest's checks all held: status 0 and its closing line.
expect_ok() {
    [[ $skip -eq 1 ]] && return
    expect_status 0
    grep -Eq '^[0-9]+ checks, 0 failed$' "$dir.out" ||
        fail_because "no '0 failed' line from the guest"
    local fails
    fails=$(grep -m 3 '^FAIL' "$dir.out" | tr '\n' ';' || true)
    [[ -z $fails ]] || fail_because "$fails"
}

expect_out() {
    [[ $skip -eq 1 ]] || grep -Eq -- "$1" "$dir.out" || fail_because "stdout lacks /$1/"
}
expect_out_line() {
    [[ $skip -eq 1 ]] || grep -Fxq -- "$1" "$dir.out" || fail_because "stdout lacks the line [$1]"
}
expect_no_out() {
    [[ $skip -eq 1 ]] || ! grep -Eq -- "$1" "$dir.out" || fail_because "stdout has /$1/"
}
expect_err() {
    [[ $skip -eq 1 ]] || grep -Eq -- "$1" "$dir.err" || fail_because "stderr lacks /$1/"
}
# expect_err_line N REGEX — line N of stderr matches.
expect_err_line() {
    [[ $skip -eq 1 ]] && return
    sed -n "$1p" "$dir.err" | grep -Eq -- "$2" || fail_because "stderr line $1 is not /$2/"
}
expect_err_lines() {
    [[ $skip -eq 1 ]] && return
    local n
    n=$(wc -l <"$dir.err")
    [[ $n -eq $1 ]] || fail_because "stderr has $n lines, want $1"
}
expect_faster_than() { # SECONDS
    [[ $skip -eq 1 || $elapsed_ms -lt $(($1 * 1000)) ]] ||
        fail_because "took ${elapsed_ms} ms, want < $1 s"
}

# expect_file PATH CONTENT — PATH (in the case dir) holds exactly CONTENT
# (printf %b escapes: \n, \0...).
expect_file() {
    [[ $skip -eq 1 ]] && return
    local path=$dir/$1
    if [[ ! -f $path || -L $path ]]; then
        fail_because "$1 is not a file"
    elif ! cmp -s "$path" <(printf '%b' "$2"); then
        fail_because "$1 holds [$(head -c 80 "$path" | od -An -c | tr -s ' ' | head -c 120)]"
    fi
}
# expect_stdout_is CONTENT — wasmbox's stdout is exactly CONTENT (%b escapes).
expect_stdout_is() {
    [[ $skip -eq 1 ]] || cmp -s "$dir.out" <(printf '%b' "$1") ||
        fail_because "stdout is [$(head -c 80 "$dir.out" | od -An -c | tr -s ' ' | head -c 120)]"
}
expect_file_has() { # PATH REGEX
    [[ $skip -eq 1 ]] || grep -Eq -- "$2" "$dir/$1" 2>/dev/null || fail_because "$1 lacks /$2/"
}
expect_missing() {
    [[ $skip -eq 1 || (! -e $dir/$1 && ! -L $dir/$1) ]] || fail_because "$1 exists"
}
expect_dir() {
    [[ $skip -eq 1 || (-d $dir/$1 && ! -L $dir/$1) ]] || fail_because "$1 is not a directory"
}
expect_symlink() { # PATH TARGET
    [[ $skip -eq 1 ]] && return
    [[ -L $dir/$1 && $(readlink "$dir/$1") == "$2" ]] || fail_because "$1 is not a symlink to $2"
}
expect_same_inode() { # PATH PATH
    [[ $skip -eq 1 ]] && return
    [[ $(stat -c %i "$dir/$1") == "$(stat -c %i "$dir/$2")" ]] ||
        fail_because "$1 and $2 are not one file"
}
expect_stat() { # FORMAT PATH VALUE — stat -c FORMAT PATH prints VALUE
    [[ $skip -eq 1 ]] && return
    local got
    got=$(stat -c "$1" "$dir/$2")
    [[ $got == "$3" ]] || fail_because "stat -c $1 $2: $got, want $3"
}
sandbox_untouched() { check_sandbox=1; }

# show_file FILE — its first lines, shortened, NULs as dots, indented.
show_file() {
    head -c 3000 "$1" | tr '\0' . | head -n 20 | cut -c 1-200 | sed 's/^/#     /'
}

# end — checks what every case must keep, prints the verdict.
end() {
    [[ $skip -eq 1 ]] && return
    if [[ $(tree_sum "$dir/outside") != "$outside_sum" ]]; then
        fail_because "outside/ changed: $(cd "$dir/outside" && find . -newer "$dir.out" | head -3 | tr '\n' ' ')"
    fi
    if [[ $check_sandbox -eq 1 && $(tree_sum "$dir/sandbox") != "$sandbox_sum" ]]; then
        fail_because "the read-only sandbox/ changed"
    fi
    local extra
    extra=$(cd "$dir" && find . -mindepth 1 -maxdepth 1 ! -name sandbox ! -name outside | head -3)
    [[ -z $extra ]] || fail_because "new entries next to the sandbox: $extra"
    if [[ ${#why[@]} -eq 0 ]]; then
        echo "ok - $name"
        passed=$((passed + 1))
    else
        local IFS=';'
        echo "not ok - $name (${why[*]})"
        echo "#   exit status $rc after $elapsed_ms ms; stdout:"
        show_file "$dir.out"
        echo "#   stderr:"
        show_file "$dir.err"
        failed=$((failed + 1))
    fi
}

# ok_case NAME PROG CASE [ARGS...] — a case whose checks are all the
# guest's own (plus the untouched outside/).
ok_case() {
    begin "$1"
    guest "${@:2}"
    expect_ok
    end
}

build_programs || {
    echo "$passed passed, $failed failed"
    exit 1
}

# ================================================================= args, env

begin "args: argv[0] is MODULE's file name; every word after MODULE is the guest's"
guest args a "b c" "it's" '"quoted"' '' -x --dir=nope
expect_ok
expect_out_line "argc=8"
expect_out_line "argv[0]=[args.wasm]"
expect_out_line "argv[1]=[a]"
expect_out_line "argv[2]=[b c]"
expect_out_line "argv[3]=[it's]"
expect_out_line 'argv[4]=["quoted"]'
expect_out_line "argv[5]=[]"
expect_out_line "argv[6]=[-x]"
expect_out_line "argv[7]=[--dir=nope]"
end

begin "args: --argv0 NAME sets argv[0]"
wb --argv0 my-tool "$out/args.wasm" one
expect_ok
expect_out_line "argv[0]=[my-tool]"
expect_out_line "argv[1]=[one]"
end

begin "environ: nothing of the host's environment by default"
HOST_SECRET=visible wb "$out/args.wasm"
expect_ok
expect_out_line "envc=0"
expect_no_out "HOST_SECRET|PATH=|HOME="
end

begin "environ: --env NAME=VALUE, --env NAME from the host, a later --env wins"
HOST_VAR='from the host' HOST_SECRET=x wb --env A=1 --env 'B=x y=z' --env HOST_VAR \
    --env NOT_ON_HOST --env A=2 --env EMPTY= "$out/args.wasm"
expect_ok
expect_out_line "env[0]=[A=2]"
expect_out_line "env[1]=[B=x y=z]"
expect_out_line "env[2]=[HOST_VAR=from the host]"
expect_out_line "env[3]=[EMPTY=]"
expect_out_line "envc=4"
expect_no_out "NOT_ON_HOST|HOST_SECRET"
end

# ================================================================= stdio

begin "stdin: piped input reaches the guest (echo hi | wasmbox run cat.wasm)"
feed printf 'hi\nthere\n'
wb "$out/cat.wasm"
expect_status 0
expect_stdout_is 'hi\nthere\n'
expect_err '^cat: 9 bytes$'
end

begin "stdin: 300 KB through a pipe arrive intact"
head -c 300000 /dev/urandom >"$tmp/big.bin"
feed cat "$tmp/big.bin"
wb "$out/cat.wasm"
expect_status 0
cmp -s "$dir.out" "$tmp/big.bin" || fail_because "stdout differs from the input"
expect_err '^cat: 300000 bytes$'
end

begin "stdin: /dev/null is an empty stdin"
wb "$out/cat.wasm"
expect_status 0
expect_err '^cat: 0 bytes$'
end

# fd_flags FD — the flags of this shell's FD (its open file description).
fd_flags() { sed -n 's/^flags:\t*//p' "/proc/$BASHPID/fdinfo/$1"; }

begin "stdio: fd_fdstat_set_flags on stdio leaves the host's file descriptions alone"
if [[ $skip -eq 0 ]]; then
    exec {fin}<"$dir/sandbox/hello.txt" {fout}>"$tmp/flags.out" {ferr}>"$dir.err"
    before="$(fd_flags "$fin") $(fd_flags "$fout") $(fd_flags "$ferr")"
    set +e
    (cd "$dir" && exec timeout -k 5 60 "$WASMBOX" run "$out/misc.wasm" stdio_flags) \
        <&"$fin" >&"$fout" 2>&"$ferr"
    rc=$?
    set -e
    after="$(fd_flags "$fin") $(fd_flags "$fout") $(fd_flags "$ferr")"
    exec {fin}<&- {fout}>&- {ferr}>&-
    mv "$tmp/flags.out" "$dir.out"
    [[ $before == "$after" ]] ||
        fail_because "the host's stdin/stdout/stderr flags went from $before to $after (octal)"
fi
expect_ok
end

begin "stdio: the guest cannot truncate, extend, re-time or rewrite the host's stdout file"
if [[ $skip -eq 0 ]]; then
    printf 'an earlier line of the log\n' >"$dir.out"
    touch -d '2001-02-03 04:05:06' "$dir.out"
    set +e
    (cd "$dir" && exec timeout -k 5 60 "$WASMBOX" run "$out/misc.wasm" stdio_rights) \
        </dev/null >>"$dir.out" 2>"$dir.err"
    rc=$?
    set -e
    expect_status 0
    head -n 1 "$dir.out" | grep -qx 'an earlier line of the log' ||
        fail_because "the earlier content of the stdout file is gone"
    expect_out_line "guest line"
    [[ $(stat -c %s "$dir.out") -lt 4096 ]] || fail_because "the stdout file grew to $(stat -c %s "$dir.out") bytes"
    [[ $(stat -c %Y "$dir.out") -ne 0 ]] || fail_because "the stdout file's mtime was set to 0"
    ! grep -q OVERWRITTEN "$dir.out" || fail_because "pwrite went to offset 0 of the stdout file"
fi
end

# ================================================================= proc_exit

for code in 0 1 42 255; do
    begin "proc_exit: $code is wasmbox's exit status"
    wb "$out/exit.wasm" proc_exit "$code"
    expect_status "$code"
    expect_err_lines 0
    end
done

begin "proc_exit: returning 7 from main exits 7"
wb "$out/exit.wasm" return 7
expect_status 7
end

begin "proc_exit: exit(3) flushes stdio first"
wb "$out/exit.wasm" exit 3
expect_status 3
expect_stdout_is 'bye'
end

for code in 256 4294967295; do
    begin "proc_exit: $code (outside 0..255) gives 1 and a warning"
    wb "$out/exit.wasm" proc_exit "$code"
    expect_status 1
    expect_err "^wasmbox: the guest exited with status $code, outside 0\.\.255"
    end
done

# ================================================================= clocks, random, misc

begin "clock_time_get: realtime agrees with the host"
guest clock realtime
expect_ok
if [[ $skip -eq 0 ]]; then
    t=$(sed -n 's/^realtime=//p' "$dir.out")
    now=$(date +%s)
    [[ -n $t && $((t - now)) -le 5 && $((now - t)) -le 5 ]] || fail_because "realtime $t, host $now"
fi
end
ok_case "clock_time_get: monotonic never goes back and advances" clock monotonic
ok_case "clock_res_get: realtime and monotonic resolutions" clock res
ok_case "clock_time_get/res_get: CPU-time clocks work or fail cleanly" clock cputime
ok_case "clock_time_get/res_get: unknown clock ids are EINVAL" clock badid
ok_case "random_get: fills buffers, draws differ, length 0" misc random
ok_case "sched_yield: succeeds" misc yield
ok_case "proc_raise: ENOSYS (no signals in the sandbox); the guest goes on" misc raise

begin "sock_accept/recv/send/shutdown: ENOTSUP, EBADF or ENOTSOCK; stdout unharmed"
guest misc sock
expect_ok
expect_out_line "stdout still works"
end

# ================================================================= fd_*

ok_case "fd_read: scattered reads, then EOF" fd read

begin "fd_write: gathered writes to a file, stdout and stderr"
guest fd write
expect_ok
expect_file sandbox/w.txt 'abcdef-gh'
expect_out_line "to stdout"
expect_err '^to stderr$'
end

ok_case "fd_pread: at an offset, position unchanged" fd pread

begin "fd_pwrite: at offsets, past the end, position unchanged"
guest fd pwrite
expect_ok
expect_file sandbox/data.bin '012XY56789abcdefghij\0\0\0\0\0END'
end

ok_case "fd_seek: SET/CUR/END, past the end; negative and bad whence are EINVAL" fd seek

begin "fd_tell: follows reads, writes and seeks"
guest fd tell
expect_ok
expect_file sandbox/data.bin '0123ZZ6789abcdefghij'
end

begin "fd_sync / fd_datasync: on a written file; EBADF after close"
guest fd sync
expect_ok
expect_file sandbox/synced.txt 'synced\n'
end

ok_case "fd_advise: every advice; unknown advice is EINVAL" fd advise

begin "fd_allocate: grows to offset+len, never shrinks"
guest fd allocate
expect_ok
expect_stat %s sandbox/alloc.bin 100
end

ok_case "fd_fdstat_get: file types of dirs, files and stdio; flags; rights" fd fdstat

begin "fd_fdstat_set_flags: APPEND on and off"
guest fd set_flags
expect_ok
expect_file sandbox/data.bin 'A123456789abcdefghijZ'
end

begin "fd_filestat_get: inode, size, mtime and link count match the host's"
[[ $skip -eq 1 ]] || read -r ino size mtime nlink < <(stat -c '%i %s %Y %h' "$dir/sandbox/hello.txt")
guest fd filestat "${ino:-0}" "${size:-0}" "${mtime:-0}" "${nlink:-0}"
expect_ok
end

begin "fd_filestat_set_size: truncates and extends"
guest fd set_size
expect_ok
expect_file sandbox/data.bin '01234\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0'
end

begin "fd_filestat_set_times: explicit times and now"
guest fd set_times
expect_ok
expect_stat %X sandbox/hello.txt 1000000000
expect_stat %Y sandbox/hello.txt 1234567890
if [[ $skip -eq 0 ]]; then
    m=$(stat -c %Y "$dir/sandbox/data.bin")
    [[ $(($(date +%s) - m)) -lt 60 ]] || fail_because "data.bin mtime $m is not now"
fi
end

begin "fd_readdir: entries and types, small buffers resume by cookie, empty dir"
guest fd readdir
expect_ok
expect_out '^entries: '
end

begin "fd_renumber: over an open fd, onto stdout; unopened fds are EBADF"
guest fd renumber
expect_status 0
expect_file_has sandbox/renumbered.txt '^via fd 1$'
expect_file_has sandbox/renumbered.txt '^[0-9]+ checks, 0 failed$'
end

ok_case "fd_close: once; EBADF after; the number is reused" fd close

begin "fd_prestat_get/dir_name: each preopen in order; GUEST defaults to HOST"
guest fd prestat
WB_OPTS=(--dir-ro sandbox/dir::/ro --dir sandbox/empty)
guest fd prestat
WB_OPTS=()
expect_ok
expect_out_line "preopen 3 /sandbox"
expect_out_line "preopen 4 /ro"
expect_out_line "preopen 5 sandbox/empty"
end

# ================================================================= path_*

# path_cases — every path_* case (run twice: see the end of the file).
path_cases() {

begin "${P}path_open CREAT: new files; ENOENT without it"
guest path open_creat
expect_ok
expect_file sandbox/new.txt 'created\n'
expect_file sandbox/dir/c.txt 'in dir\n'
expect_file sandbox/hello.txt 'hello, sandbox\n'
expect_missing sandbox/missing.txt
end

begin "${P}path_open CREAT|EXCL: EEXIST for files, links, dirs"
guest path open_excl
expect_ok
expect_file sandbox/excl.txt 'excl\n'
end

begin "${P}path_open TRUNC: empties the file"
guest path open_trunc
expect_ok
expect_file sandbox/data.bin ''
expect_file sandbox/hello.txt 'hello, sandbox\n'
end

ok_case "${P}path_open DIRECTORY: dirs open, files are ENOTDIR; . and inner .. work" path open_directory

begin "${P}path_open: symlinks followed only with SYMLINK_FOLLOW; fdflags APPEND"
guest path open_symlink_append
expect_ok
expect_file sandbox/hello.txt 'hello, sandbox\nappended\n'
end

begin "${P}path_create_directory: new, EEXIST, ENOENT, ENOTDIR"
guest path mkdir
expect_ok
expect_dir sandbox/made/inner
end

begin "${P}path_remove_directory: empty dirs only"
guest path rmdir
expect_ok
expect_missing sandbox/dir/sub
expect_missing sandbox/empty
expect_dir sandbox/dir
end

begin "${P}path_unlink_file: files and symlinks, not dirs"
guest path unlink
expect_ok
expect_missing sandbox/hello.txt
expect_missing sandbox/link_rel
expect_dir sandbox/dir
end

begin "${P}path_rename: files, dirs, over a file, across dir fds"
guest path rename
expect_ok
expect_file sandbox/renamed.txt 'hello, sandbox\n'
expect_missing sandbox/hello.txt
expect_missing sandbox/dir
expect_file sandbox/dir2/b.txt 'a\n'
expect_missing sandbox/dir2/a.txt
expect_file sandbox/empty/moved.bin '0123456789abcdefghij'
end

begin "${P}path_link: hard links, following an inner symlink"
guest path link
expect_ok
expect_same_inode sandbox/hl.txt sandbox/hello.txt
expect_same_inode sandbox/hl2.txt sandbox/hello.txt
end

begin "${P}path_symlink: file, dir and dangling links"
guest path symlink
expect_ok
expect_symlink sandbox/sl hello.txt
expect_symlink sandbox/dsl dir
expect_symlink sandbox/dangling nowhere
end

ok_case "${P}path_readlink: whole, short buffer, EINVAL on a file" path readlink
ok_case "${P}path_filestat_get: types and sizes, following links or not" path filestat

begin "${P}path_filestat_set_times: explicit, through a followed link, now"
guest path set_times
expect_ok
expect_stat %X sandbox/hello.txt 1000000000
expect_stat %Y sandbox/hello.txt 1300000000
end
}
path_cases

# ================================================================= through libc

begin "libc: stdio, stat, mkdir, rename, symlink, readdir under an absolute preopen"
guest libc files /sandbox
expect_ok
expect_file sandbox/newdir/moved.txt 'written by libc: 42\n'
expect_symlink sandbox/newdir/link moved.txt
expect_missing sandbox/data.bin
expect_missing sandbox/empty
end

begin "libc: relative paths under --dir sandbox::."
wb --dir sandbox::. "$out/libc.wasm" files .
expect_ok
expect_file sandbox/newdir/moved.txt 'written by libc: 42\n'
end

# ================================================================= poll_oneoff

begin "poll_oneoff: a relative clock sleeps its time"
guest poll clock
expect_ok
end

ok_case "poll_oneoff: an absolute deadline" poll abstime
ok_case "poll_oneoff: of two clocks the nearer fires alone" poll two_clocks

begin "poll_oneoff: stdin with data is readable at once"
feed printf 'hello\n'
guest poll stdin
expect_ok
expect_out_line "read [hello"
end

begin "poll_oneoff: waits for stdin data that comes later"
feed bash -c 'sleep 0.3; echo late'
guest poll stdin_wait
expect_ok
expect_out_line "waited >= 100 ms"
end

ok_case "poll_oneoff: stdout is writable at once" poll stdout
ok_case "poll_oneoff: no subscriptions EINVAL; bad fd reported EBADF; bad tag/clock" poll invalid

# ================================================================= escapes

# escape_cases — every escape case (run twice: see the end of the file).
escape_cases() {

begin "${P}escape: '..' paths never leave the sandbox"
guest escape dotdot
expect_ok
expect_no_out "TOP SECRET"
end

begin "${P}escape: absolute host and guest paths are refused"
guest escape absolute "$dir/outside"
expect_ok
expect_no_out "TOP SECRET"
end

begin "${P}escape: host symlinks pointing out (relative ../) are not followed"
guest escape host_symlink_rel
expect_ok
expect_no_out "TOP SECRET"
end

begin "${P}escape: host symlinks pointing out (absolute) are not followed"
guest escape host_symlink_abs
expect_ok
expect_no_out "TOP SECRET"
end

begin "${P}escape: symlinks the guest creates pointing out are not followed"
guest escape guest_symlink "$dir/outside"
expect_ok
expect_no_out "TOP SECRET"
end

begin "${P}escape: no hard links to outside files"
guest escape hardlink
expect_ok
[[ $skip -eq 1 ]] || [[ $(stat -c %h "$dir/outside/secret.txt") -eq 1 ]] ||
    fail_because "outside/secret.txt gained a link"
end

begin "${P}escape: no renames out of (or into) the sandbox"
guest escape rename
expect_ok
end

begin "${P}escape: a read-only preopen (--dir-ro) refuses every write"
wb --dir-ro sandbox::/sandbox "$out/escape.wasm" readonly
expect_ok
sandbox_untouched
end

begin "${P}escape: a read-only grant stays read-only through a writable one (links, renames)"
WB_OPTS=(--dir-ro outside::/ro)
guest escape cross
WB_OPTS=()
expect_ok
end
}
escape_cases

# ================================================================= limits

begin "timeout: a loop without host calls stops after --timeout 1s (124)"
wb --timeout 1s "$out/limits.wasm" loop
expect_status 124
expect_err_line 1 '^wasmbox: timeout after 1s$'
expect_err_line 2 '^wasmbox: backtrace: loop@0x[0-9a-f]+ <- main@'
expect_err_lines 2
expect_faster_than 6
end

begin "timeout: a loop calling sched_yield stops"
wb --timeout 1s "$out/limits.wasm" loop_yield
expect_status 124
expect_err_line 1 '^wasmbox: timeout after 1s$'
expect_faster_than 6
end

begin "timeout: a loop calling clock_time_get stops"
wb --timeout 500ms "$out/limits.wasm" loop_clock
expect_status 124
expect_err_line 1 '^wasmbox: timeout after 500ms$'
expect_faster_than 6
end

begin "timeout: a guest sleeping 60 s in poll_oneoff stops"
wb --timeout 1s "$out/limits.wasm" sleep
expect_status 124
expect_err_line 1 '^wasmbox: timeout after 1s'
expect_no_out "woke up"
expect_faster_than 6
end

begin "timeout: a guest blocked reading stdin stops"
feed sleep 30
wb --timeout 1s "$out/limits.wasm" read_stdin
expect_status 124
expect_err_line 1 '^wasmbox: timeout after 1s'
expect_faster_than 6
end

begin "timeout: a guest that finishes in time is not disturbed"
wb --timeout 10s "$out/limits.wasm" work 1000
expect_status 0
expect_out_line "done"
expect_err_lines 0
end

begin "fuel: --fuel stops a loop (121)"
wb --fuel 100000 "$out/limits.wasm" loop
expect_status 121
expect_err_line 1 '^wasmbox: fuel exhausted'
expect_err_line 2 '^wasmbox: backtrace: loop@0x'
end

begin "fuel: enough --fuel lets the work finish"
wb --fuel 50000000 "$out/limits.wasm" work 1000
expect_status 0
expect_out_line "done"
end

begin "stack: unbounded recursion is 'call stack exhausted' (122)"
wb "$out/limits.wasm" recurse
expect_status 122
expect_err_line 1 '^wasmbox: call stack exhausted$'
expect_err_line 2 '^wasmbox: backtrace: rec@0x[0-9a-f]+ x[0-9]+ <- recurse@'
end

begin "stack: --max-stack 64KiB stops recursion sooner"
wb --max-stack 64KiB "$out/limits.wasm" recurse
expect_status 122
expect_err_line 1 '^wasmbox: call stack exhausted$'
if [[ $skip -eq 0 ]]; then
    depth=$(grep -Eo 'rec@0x[0-9a-f]+ x[0-9]+' "$dir.err" | grep -Eo '[0-9]+$' || echo 0)
    [[ $depth -gt 100 && $depth -lt 20000 ]] || fail_because "recursion depth $depth"
fi
end

begin "stack: recursion 1000 deep fits in --max-stack 1MiB"
wb --max-stack 1MiB "$out/limits.wasm" deep 1000
expect_status 0
expect_out_line "depth 1000"
end

begin "memory: memory.grow returns -1 at --max-memory 16MiB; the guest reports it (120)"
wb --max-memory 16MiB "$out/limits.wasm" grow
expect_status 120
expect_out_line "memory.grow failed at 256 pages"
expect_err_line 1 '^wasmbox: memory limit 16MiB reached'
end

begin "memory: malloc until failure under --max-memory 16MiB (120)"
wb --max-memory 16MiB "$out/limits.wasm" malloc
expect_status 120
expect_out '^malloc failed after 1[0-6] MiB$'
expect_err_line 1 '^wasmbox: memory limit 16MiB reached'
end

begin "memory: --max-memory rounds up to 64 KiB pages"
wb --max-memory 1000000 "$out/limits.wasm" grow
expect_status 120
expect_out_line "memory.grow failed at 16 pages"
expect_err_line 1 '^wasmbox: memory limit 1MiB reached'
end

begin "memory: a module needing more than --max-memory fails at instantiation"
wb --max-memory 16MiB "$out/bigmem.wasm"
expect_status 120
expect_err_line 1 '^wasmbox: memory limit 16MiB reached'
expect_no_out "started"
end

begin "memory: the same module runs under --max-memory 64MiB"
wb --max-memory 64MiB "$out/bigmem.wasm"
expect_status 0
expect_out "^started with"
end

begin "memory: a trap after memory.grow hit --max-memory is reported as the limit (120)"
wb --max-memory 16MiB "$out/limits.wasm" grow_trap
expect_status 120
expect_err_line 1 '^wasmbox: memory limit 16MiB reached, then the guest trapped: unreachable'
expect_err_line 2 '^wasmbox: backtrace: grow_trap@'
end

begin "trap: unreachable exits 134 with the trap and a backtrace"
wb "$out/limits.wasm" unreachable
expect_status 134
expect_out_line "before the trap"
expect_err_line 1 '^wasmbox: trap: unreachable'
expect_err_line 2 '^wasmbox: backtrace: unreachable@0x[0-9a-f]+ <- main@'
expect_err_lines 2
end

begin "trap: out of bounds memory access (134)"
wb "$out/limits.wasm" oob
expect_status 134
expect_err_line 1 '^wasmbox: trap: out of bounds memory access$'
expect_err_line 2 '^wasmbox: backtrace: oob@'
end

begin "trap: integer divide by zero (134)"
wb "$out/limits.wasm" div0
expect_status 134
expect_err_line 1 '^wasmbox: trap: integer divide by zero$'
end

# ================================================================= hostile guests

ok_case "hostile: iovec arrays at and past the end of memory are EFAULT" hostile iov_end
ok_case "hostile: buffers past the end or wrapping 2^32 are EFAULT" hostile iov_wrap
ok_case "hostile: huge iovec counts and lengths summing past 2^32" hostile iov_huge
ok_case "hostile: result pointers at the end of memory; no fd leak" hostile out_ptr
ok_case "hostile: paths past the end, wrapping, huge, with NUL, empty" hostile path_bad

begin "hostile: args_get/environ_get into memory that is not there"
WB_OPTS=(--env HOSTILE=1)
guest hostile args_bad
WB_OPTS=()
expect_ok
end

ok_case "hostile: negative and huge offsets, sizes, cookies, times" hostile offsets
ok_case "hostile: fd numbers never opened are EBADF everywhere" hostile bad_fds
ok_case "hostile: fd_readdir and poll_oneoff with bad buffers" hostile readdir_poll
ok_case "hostile: results that fit exactly at the end of memory are fine" hostile exact_end

begin "hostile: closing stdio, then opening files; wasmbox's own stderr survives"
guest hostile close_stdio
expect_status 134
expect_err_line 1 '^wasmbox: trap: unreachable'
expect_file sandbox/a.txt 'A\n'
expect_file sandbox/b.txt 'B\n'
expect_file_has sandbox/c.txt '^C$'
expect_file_has sandbox/report.txt '^[0-9]+ checks, 0 failed$'
[[ $skip -eq 1 ]] || ! grep -q wasmbox "$dir/sandbox/"*.txt || fail_because "wasmbox wrote into a guest file"
end

# ================================================================= usage

begin "usage: --help lists every option with an example"
wb --help
expect_status 0
for opt in --dir --dir-ro --env --argv0 --max-memory --fuel --timeout --max-stack --invoke; do
    expect_out "^  $opt "
done
expect_out '--dir \./data::/data'
expect_out '--timeout 500ms'
expect_out '^  124 +timeout'
end

begin "usage: bad option values exit 2 with a message"
for bad in "--max-memory 12XB" "--max-memory 0" "--max-memory 5GiB" "--timeout 5x" \
    "--timeout 0" "--fuel 0" "--fuel -3" "--max-stack 12" "--env =x" "--dir ::/x" \
    "--dir sandbox::" "--nope"; do
    # shellcheck disable=SC2086 # each entry is an option and its value
    wb $bad "$out/args.wasm"
    [[ $skip -eq 1 || $rc -eq 2 ]] || fail_because "$bad: status $rc"
    [[ $skip -eq 1 ]] || grep -q '^wasmbox run: ' "$dir.err" || fail_because "$bad: no message"
done
end

begin "usage: a --dir that does not exist exits 2 naming it"
wb --dir no/such/dir "$out/args.wasm"
expect_status 2
expect_err 'no/such/dir'
end

begin "usage: a missing module exits 2"
wb "$out/no-such.wasm"
expect_status 2
end

begin "usage: options also take --NAME=VALUE"
wb --dir=sandbox::/sandbox --env=X=1 --max-memory=64MiB --timeout=10s "$out/args.wasm"
expect_ok
expect_out_line "env[0]=[X=1]"
end

begin "usage: --invoke calls an export of a WASI module, which may proc_exit"
wb --invoke _start "$out/exit.wasm"
expect_status 99
expect_err '^usage: exit'
end

begin "usage: proc_exit(-1) under --invoke gives 1 and a warning"
wb --invoke exit_minus_one "$out/exit.wasm"
expect_status 1
expect_err '^wasmbox: the guest exited with status 4294967295, outside 0\.\.255'
end

# ================================================================= without openat2

# Again with openat2 hidden (ENOSYS, as before Linux 5.6 or under a seccomp
# filter): wasmbox then confines paths with its own walk, which must hold
# just as well.
# The shim is preloaded, so this needs a dynamically linked wasmbox (the
# sanitized build is; `make`'s build/wasmbox is static). Against a static one
# the cases would pass without testing the fallback: say so and fail.
if ldd "$WASMBOX" >/dev/null 2>&1; then
    P="no openat2: " preload=$out/no_openat2.so
    path_cases
    escape_cases
    P="" preload=""
else
    echo "not ok - no openat2: $WASMBOX is statically linked, so the shim that hides openat2 cannot be preloaded; run this suite with a dynamically linked wasmbox (build/asan/wasmbox)"
    failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
