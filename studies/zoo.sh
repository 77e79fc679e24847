#!/usr/bin/env bash
# Trains the study zoo: built-in checkpoints that differ the way real model candidates do — training method
# (efficient GRPO vs vanilla GRPO), seed, and how far training went (warm-up only, 20 or 40 RL steps).
#
#   studies/zoo.sh [ZOO_DIR]        # default runs/zoo; about 20 minutes on two cores
#
# Three training runs, each `toolsharp train` with the built-in default recipe on the multi-turn chat task
# arith-chat:turns=1-3 (one to three user turns, each one operation on two-digit numbers, later turns continuing from
# the last answer), so the checkpoints hold single-turn and multi-turn skill the study can measure:
#   s1  seed 1, the default recipe (900 warm-up steps, 40 steps of GRPO with prompt filter k=1 and 8→4 down-sampling)
#   s2  seed 2, the same recipe
#   g1  vanilla GRPO (no filter, update on all 8 rollouts) for 40 steps, from s1's warm-up
# The two seeds run side by side with one engine thread each. ZOO_DIR/models/ then holds eight checkpoints:
#   s1-warmup s1-rl20 s1-rl40  s2-warmup s2-rl20 s2-rl40  g1-rl20 g1-rl40
# Each is a plain checkpoint folder (builtin:ZOO_DIR/models/NAME). Rerunning resumes unfinished runs.
set -euo pipefail
cd "$(dirname "$0")/.."
zoo="${1:-runs/zoo}"
mkdir -p "$zoo/models"
dotnet build src/ToolSharp.Cli -c Release -v quiet -nologo >/dev/null
toolsharp=(dotnet src/ToolSharp.Cli/bin/Release/net10.0/toolsharp.dll)
env="arith-chat:turns=1-3"

train() {  # train DIR ARGS… — starts the run, or resumes it when it was interrupted
  local dir="$1"; shift
  if [[ -f "$dir/summary.json" ]]; then return; fi
  if [[ -f "$dir/train_config.yaml" ]]; then "${toolsharp[@]}" train --resume "$dir" --threads 1 > "$dir.log" 2>&1
  else "${toolsharp[@]}" train --out "$dir" --threads 1 --env "$env" "$@" > "$dir.log" 2>&1; fi
}

train "$zoo/s1" --seed 1 & a=$!
train "$zoo/s2" --seed 2 & b=$!
wait $a; wait $b

# Vanilla GRPO starts from s1's finished warm-up (a run directory with warmup/done.json skips its own warm-up).
if [[ ! -f "$zoo/g1/summary.json" && ! -d "$zoo/g1/warmup" ]]; then mkdir -p "$zoo/g1"; cp -r "$zoo/s1/warmup" "$zoo/g1/warmup"; fi
train "$zoo/g1" --seed 1 --set rl.prompt_filter=null --set rl.update_rollouts_per_prompt=8

copy() {  # copy NAME CHECKPOINT_DIR
  mkdir -p "$zoo/models/$1"
  cp "$2"/config.json "$2"/generation_config.json "$2"/model.safetensors "$2"/tokenizer.json "$zoo/models/$1/"
}
for run in s1 s2; do copy "$run-warmup" "$zoo/$run/warmup/checkpoints/step-00000900"; done
for run in s1 s2 g1; do
  copy "$run-rl20" "$zoo/$run/checkpoints/step-00000020"
  copy "$run-rl40" "$zoo/$run/checkpoints/step-00000040"
done
ls "$zoo/models"
