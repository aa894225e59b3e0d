#!/usr/bin/env bash
# Prints the path of a sqlite3 shell that can write ducha's databases: the system's `sqlite3` when it is
# SQLite 3.44 or later (for -unsafe-testing), else bench/out/bin/sqlite3, built here the first time (about 1.5 minutes).
#
# Why: from schema 14 on, a database holds FTS5 tables with the `contentless_delete` option (SQLite 3.43),
# and Debian 12's shell (3.40) fails on any statement that touches them, e.g. an INSERT into rectifications
# (its trigger feeds the board's text index). The comparisons of bench/run.sh still use the distribution's
# shell on tables it can read; only the builders (make-big-db.sh) need this one.
#
# Where the source comes from: the npm registry's `sqlite3` package carries SQLite's own amalgamation
# (deps/sqlite-autoconf-*.tar.gz, with shell.c), and npm is one of this machine's registries. It is built
# with gcc as a distribution builds its shell: FTS5, math functions, dbstat.
set -euo pipefail

cd "$(dirname "$0")/.."
new_enough() {
    local v
    v=$("$1" --version 2>/dev/null | cut -d' ' -f1) || return 1
    [ -n "$v" ] || return 1
    # 3.44.0 or later, compared field by field.
    local IFS=.
    # shellcheck disable=SC2206
    local p=($v)
    [ "${p[0]}" -gt 3 ] || { [ "${p[0]}" -eq 3 ] && [ "${p[1]}" -ge 44 ]; }
}

if command -v sqlite3 >/dev/null && new_enough sqlite3; then
    command -v sqlite3
    exit 0
fi
shell=bench/out/bin/sqlite3
if [ -x "$shell" ] && new_enough "$shell"; then
    echo "$shell"
    exit 0
fi

echo "the system's sqlite3 is older than 3.44: building $shell from the npm package sqlite3…" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent sqlite3 >/dev/null)
tar -xzf "$work"/sqlite3-*.tgz -C "$work" --wildcards 'package/deps/sqlite-autoconf-*.tar.gz'
tar -xzf "$work"/package/deps/sqlite-autoconf-*.tar.gz -C "$work"
src=$(echo "$work"/sqlite-autoconf-*)
mkdir -p "$(dirname "$shell")"
gcc -O2 -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_MATH_FUNCTIONS -DSQLITE_ENABLE_DBSTAT_VTAB -DHAVE_READLINE=0 \
    "$src/shell.c" "$src/sqlite3.c" -lm -lpthread -ldl -o "$shell.tmp"
mv "$shell.tmp" "$shell"
echo "built $shell: $("$shell" --version | cut -d' ' -f1)" >&2
echo "$shell"
