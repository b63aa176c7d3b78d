#!/usr/bin/env bats
# api and api-prod serve a real ASGI app; the servers live only in the fixture's `api` extra.

load test_helper

setup() {
  use_fixture app
  API_PORT=$(free_port)
}

teardown() {
  if [ -n "${SERVER_PID:-}" ]; then
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Start `make TARGET` in its own process group (SERVER_PID, for teardown), then poll /health for
# up to 30 s; the body lands in $output. Not called through `run`: its subshell would lose SERVER_PID.
serve_and_check_health() {
  # 3>&- : bats waits for every process that still holds its fd 3.
  setsid make "$1" API_PORT="$API_PORT" >"$BATS_TEST_TMPDIR/server.log" 2>&1 3>&- &
  SERVER_PID=$!

  for _ in $(seq 1 60); do
    if body=$(python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=1).read().decode())' \
      "http://127.0.0.1:$API_PORT/health" 2>/dev/null); then
      output=$body
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.5
  done
  cat "$BATS_TEST_TMPDIR/server.log" >&2
  return 1
}

@test "api serves API_APP with uvicorn and answers /health" {
  serve_and_check_health api
  assert_output --partial '"status": "ok"'
  run cat "$BATS_TEST_TMPDIR/server.log"
  assert_output --partial "Will watch for changes" # --reload is on
}

@test "api-prod serves API_APP with gunicorn and uvicorn workers" {
  make dev-install >/dev/null 2>&1
  sed -i.bak 's/^API_APP := .*/&\nAPI_WORKERS := 2/' Makefile && rm Makefile.bak
  serve_and_check_health api-prod
  assert_output --partial '"status": "ok"'
  run cat "$BATS_TEST_TMPDIR/server.log"
  assert_output --partial "Booting worker"
}

@test "api without API_APP stops with one line that says how to set it" {
  run make api API_APP=
  assert_failure 2
  assert_output --partial "uv.mk: error: API_APP is not set"
  assert_output --partial "make api API_APP=mypkg.api.main:app"
  [ ! -e .venv ]
}

@test "api-prod without API_APP stops too" {
  run make api-prod API_APP=
  assert_failure 2
  assert_output --partial "make api-prod API_APP="
}

@test "api without uvicorn says how to add it as a runtime dependency or an extra" {
  sed -i.bak 's/^api = .*/api = ["gunicorn>=22"]/' pyproject.toml && rm pyproject.toml.bak
  run make api
  assert_failure
  assert_line "uv.mk: error: api needs uvicorn, which pyproject.toml does not install into .venv: run make uv-add PKG=uvicorn (or into an extra: uv add --optional api uvicorn)"
}

@test "api-prod with gunicorn only in the dev group says production does not get it" {
  sed -i.bak -e 's/^api = .*/api = ["uvicorn>=0.30"]/' -e 's/^dev = \["pytest>=8"/dev = ["gunicorn>=22", "pytest>=8"/' pyproject.toml && rm pyproject.toml.bak
  run make api-prod
  assert_failure
  assert_line "uv.mk: error: api-prod needs gunicorn, which pyproject.toml does not install into .venv outside the dev groups (API_PROD_FLAGS=--all-extras --no-default-groups): run make uv-add PKG=gunicorn (or into an extra: uv add --optional api gunicorn)"
}
