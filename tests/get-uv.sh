# shellcheck shell=sh
# Sourced by tests/run and examples/demo.sh: `get_uv ROOT` makes sure uv is on PATH. A missing uv
# is pip-installed into a venv of its own, ROOT/.cache/uv-venv (git-ignored), never into the
# system Python: Debian and Ubuntu refuse that (PEP 668, "externally-managed-environment").
get_uv() {
  command -v uv >/dev/null 2>&1 && return 0
  get_uv_venv="$1/.cache/uv-venv"
  if [ ! -x "$get_uv_venv/bin/uv" ]; then
    echo "uv not found: installing it into $get_uv_venv (python3 -m venv, then pip install uv)" >&2
    if ! python3 -m venv "$get_uv_venv" >/dev/null; then
      rm -rf "$get_uv_venv"
      echo "python3 -m venv failed: install python3-venv (sudo apt install python3-venv), or uv itself: https://docs.astral.sh/uv/getting-started/installation/" >&2
      return 2
    fi
    "$get_uv_venv/bin/python" -m pip install --quiet --disable-pip-version-check uv || return 2
  fi
  # Only uv goes on PATH, not the venv's python3 and pip.
  mkdir -p "$1/.cache/bin" && ln -sf "$get_uv_venv/bin/uv" "$1/.cache/bin/uv" || return 2
  PATH="$1/.cache/bin:$PATH"
  export PATH
}
