#!/usr/bin/env bash
# Compares a built-in ToolSharp model with the same model served by llama.cpp, end to end:
#   1. builds llama-server once (tools/llama-cpp/build-llama-server.sh; cached outside the repository),
#   2. trains a small arith run unless RUN is given,
#   3. exports the run as GGUF and starts llama-server on 127.0.0.1 with --jinja,
#   4. `toolsharp bench llamacpp`: chat template, tokenisation and greedy tokens, built-in engine vs llama.cpp,
#   5. `toolsharp eval` on the same tasks through llama-server's OpenAI API and through the built-in engine, and
#      prints both accuracies.
#
#   tools/llama-cpp/compare.sh [RUN]            # RUN: a run or checkpoint directory; default: train one in $WORK
#   TASKS=64 DTYPE=f16 PORT=8089 tools/llama-cpp/compare.sh runs/arith
#
# Needs the toolsharp CLI (TOOLSHARP, default: `dotnet run --project src/ToolSharp.Cli -c Release --`).
set -euo pipefail
cd "$(dirname "$0")/../.."

TASKS="${TASKS:-64}"
# The environment `toolsharp train` uses by default (one operation, two-digit operands).
ENV="${ENV:-arith:levels=1,digits=2-2}"
DTYPE="${DTYPE:-f32}"
PORT="${PORT:-8089}"
THREADS="${THREADS:-1}"
MAX_TOKENS="${MAX_TOKENS:-256}"
WORK="${WORK:-$(mktemp -d /tmp/toolsharp-llamacpp-XXXXXX)}"
if [[ -n "${TOOLSHARP:-}" ]]; then read -r -a ts <<<"$TOOLSHARP"; else
  dotnet build src/ToolSharp.Cli -c Release -v quiet >&2
  ts=(dotnet src/ToolSharp.Cli/bin/Release/net10.0/toolsharp.dll)
fi

server_bin="$(tools/llama-cpp/build-llama-server.sh)"
run="${1:-}"
if [[ -z "$run" ]]; then
  run="$WORK/run"
  echo "compare: training $run (warm-up only)" >&2
  "${ts[@]}" train --out "$run" --set warmup.steps="${WARMUP_STEPS:-1000}" --set rl.steps=0 --threads "$THREADS" >&2
fi

gguf="$WORK/model-$DTYPE.gguf"
"${ts[@]}" export "$run" --gguf "$gguf" --dtype "$DTYPE" >&2
"$server_bin" -m "$gguf" --host 127.0.0.1 --port "$PORT" --jinja -c 2048 -n "$MAX_TOKENS" -t "$THREADS" -np 1 --no-webui \
  >"$WORK/llama-server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { echo "compare: llama-server exited; see $WORK/llama-server.log" >&2; exit 1; }
  sleep 0.2
done

echo "== tokens: built-in engine vs llama.cpp ($DTYPE GGUF) =="
"${ts[@]}" bench llamacpp --run "$run" --server "http://127.0.0.1:$PORT" --env "$ENV" --tasks "$TASKS" --max-tokens "$MAX_TOKENS" --threads "$THREADS"

echo "== eval: $ENV, $TASKS tasks, greedy, no system prompt =="
"${ts[@]}" eval --model "builtin:$run" --env "$ENV" --tasks "$TASKS" --system-prompt none --concurrency 1 --out "$WORK/builtin.db" \
  >"$WORK/eval-builtin.txt"
"${ts[@]}" eval --model "openai:http://127.0.0.1:$PORT/v1#toolsharp" --env "$ENV" --tasks "$TASKS" --system-prompt none --concurrency 1 \
  --out "$WORK/llamacpp.db" >"$WORK/eval-llamacpp.txt"
echo "built-in engine:"; cat "$WORK/eval-builtin.txt"
echo "llama-server:";    cat "$WORK/eval-llamacpp.txt"

# Episode by episode: transcripts equal up to call ids (llama-server makes its own) and null-vs-empty content.
"${ts[@]}" report "$WORK/builtin.db" --export "$WORK/builtin.jsonl" >/dev/null
"${ts[@]}" report "$WORK/llamacpp.db" --export "$WORK/llamacpp.jsonl" >/dev/null
node - "$WORK/builtin.jsonl" "$WORK/llamacpp.jsonl" <<'JS'
const fs = require("fs");
const load = f => Object.fromEntries(fs.readFileSync(f, "utf8").trim().split("\n").map(l => JSON.parse(l)).map(e => [e.task_id, e]));
const norm = t => JSON.stringify(t.messages.map(m => ({
  role: m.role, content: m.content || null, reasoning: m.reasoning_content || null,
  calls: (m.tool_calls || []).map(c => [c.function.name, c.function.arguments ? JSON.parse(c.function.arguments) : null]),
})));
const [a, b] = [load(process.argv[2]), load(process.argv[3])];
const ids = Object.keys(a);
const same = ids.filter(k => b[k] && norm(a[k].transcript) === norm(b[k].transcript));
const differing = ids.filter(k => !same.includes(k));
const count = (o, f) => ids.filter(k => o[k] && f(o[k])).length;
console.log(`episodes with identical transcripts: ${same.length}/${ids.length}`);
console.log(`correct: built-in ${count(a, e => e.correct)}, llama-server ${count(b, e => e.correct)}`);
console.log(`differing episodes in which the built-in engine wrote a malformed call: ${differing.filter(k => a[k].malformed_calls > 0).length}/${differing.length}`);
JS
echo "work folder: $WORK" >&2
