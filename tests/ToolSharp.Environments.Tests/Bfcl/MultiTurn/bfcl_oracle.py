#!/usr/bin/env python3
"""Test oracle: runs BFCL's own multi-turn executor and checker and prints what ToolSharp must reproduce.

Standard library only (run with python3 -I -S). BFCL's reference package is imported from --reference.
Every entry or case runs as if alone in a fresh process: cached instances are dropped and the module-level
objects BFCL's backends mutate (post_tweet's default lists, long-context dicts) are restored in between.

  replay --data DIR [--categories a,b] [--ids x,y]
      per entry: every ground-truth call's result and, after each turn, each instance's public state
  check --data DIR --cases FILE
      per case {"case", "id", "result": [turn][step][call]}: BFCL's multi_turn_checker verdict and the
      model's result strings per turn and step
  floats --cases FILE
      per line a double's IEEE bits as an int: its repr, json.dumps, '.2f' and round(x, 2) / round(x, -1)
Output: one JSON object per line; the first line says which mpmath was used.
"""
import argparse
import copy
import json
import math
import sys
import types


def load_mpmath(path):
    if path:
        sys.path.append(path)
    try:
        import mpmath  # noqa: F401
        return "mpmath"
    except ImportError:
        stub = types.ModuleType("mpmath")

        class _Context:
            dps = 15

        stub.mp = _Context()
        stub.log = lambda x: math.log(float(x))
        sys.modules["mpmath"] = stub
        return "math.log"


def canonical(value):
    """A JSON-able tree that keeps what Python's == and the result strings depend on."""
    from bfcl_eval.eval_checker.multi_turn_eval.func_source_code.gorilla_file_system import Directory, File
    if isinstance(value, Directory):
        return {"__dir__": canonical(value.name), "contents": canonical(value.contents)}
    if isinstance(value, File):
        return {"__file__": canonical(value.name), "content": canonical(value.content)}
    if isinstance(value, dict):
        return {"__dict__": [[canonical(k), canonical(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if isinstance(value, tuple):
        return {"__tuple__": [canonical(v) for v in value]}
    if isinstance(value, set):
        return {"__set__": [canonical(v) for v in sorted(value, key=repr)]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return {"__repr__": repr(value)}


def public_state(instance):
    return json.dumps({k: canonical(v) for k, v in vars(instance).items() if not k.startswith("_")})


class FreshProcess:
    """Restores the module-level state BFCL's backends share, so each entry runs as in a new process."""

    def __init__(self):
        from bfcl_eval.eval_checker.multi_turn_eval import multi_turn_utils
        from bfcl_eval.eval_checker.multi_turn_eval.func_source_code import long_context, posting_api
        self.utils = multi_turn_utils
        self.posting = posting_api
        self.long_context = long_context
        self.pristine = {name: copy.deepcopy(getattr(long_context, name))
                         for name in ("CREDIT_CARD_EXTENSION", "BOOKING_RECORD_EXTENSION", "LONG_WEATHER_EXTENSION")}

    def reset(self):
        for key in [k for k in vars(self.utils) if k.endswith("_instance")]:
            del vars(self.utils)[key]
        self.posting.TwitterAPI.post_tweet.__defaults__ = ([], [])
        for name, value in self.pristine.items():
            target = getattr(self.long_context, name)
            target.clear()
            target.update(copy.deepcopy(value))


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_category(data, category):
    questions = read_jsonl(f"{data}/BFCL_v4_{category}.json")
    answers = read_jsonl(f"{data}/possible_answer/BFCL_v4_{category}.json")
    return list(zip(questions, answers))


def replay(args, fresh):
    from bfcl_eval.eval_checker.multi_turn_eval.multi_turn_utils import execute_multi_turn_func_call
    wanted = set(args.ids.split(",")) if args.ids else None
    for category in args.categories.split(","):
        for entry, answer in load_category(args.data, category):
            if wanted and entry["id"] not in wanted:
                continue
            fresh.reset()
            long_context = "long_context" in category
            results, states = [], []
            for turn in answer["ground_truth"]:
                out, instances = execute_multi_turn_func_call(
                    turn, entry["initial_config"], entry["involved_classes"], "oracle", entry["id"],
                    long_context=long_context, is_evaL_run=False)
                results.append(out)
                states.append({name: public_state(inst) for name, inst in instances.items()})
            print(json.dumps({"id": entry["id"], "results": results, "states": states}))


def check(args, fresh):
    from bfcl_eval.eval_checker.multi_turn_eval import multi_turn_checker as checker_module
    entries = {}
    for category in ("multi_turn_base", "multi_turn_miss_func", "multi_turn_miss_param", "multi_turn_long_context"):
        for entry, answer in load_category(args.data, category):
            entries[entry["id"]] = (entry, answer)
    original = checker_module.execute_multi_turn_func_call
    recorded = []

    def recording(func_call_list, *a, **kw):
        out, instances = original(func_call_list, *a, **kw)
        name = kw.get("model_name", a[2] if len(a) > 2 else "")
        if not name.endswith("_ground_truth"):
            recorded.append(out)
        return out, instances

    checker_module.execute_multi_turn_func_call = recording
    for case in read_jsonl(args.cases):
        entry, answer = entries[case["id"]]
        fresh.reset()
        recorded.clear()
        category = entry["id"].rsplit("_", 1)[0]
        verdict = checker_module.multi_turn_checker(case["result"], answer["ground_truth"], copy.deepcopy(entry), category, "oracle")
        print(json.dumps({"case": case["case"], "valid": verdict["valid"], "error_type": verdict.get("error_type"),
                          "model_results": list(recorded)}))


def floats(args):
    import struct
    with open(args.cases, encoding="utf-8") as f:
        for line in f:
            bits = int(line)
            x = struct.unpack("<d", (bits & (2 ** 64 - 1)).to_bytes(8, "little"))[0]
            out = {"repr": repr(x), "json": json.dumps(x), "fixed": f"{x:.2f}"}
            for digits in (2, -1):
                try:
                    out[f"round{digits}"] = repr(round(x, digits))
                except OverflowError as e:
                    out[f"round{digits}"] = f"OverflowError: {e}"
            print(json.dumps(out))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["replay", "check", "floats"])
    parser.add_argument("--reference", required=True, help="folder holding bfcl_eval/")
    parser.add_argument("--data", required=True, help="folder holding BFCL_v4_multi_turn_*.json")
    parser.add_argument("--categories", default="multi_turn_base,multi_turn_miss_func,multi_turn_miss_param,multi_turn_long_context")
    parser.add_argument("--ids", default="")
    parser.add_argument("--cases", default="")
    parser.add_argument("--mpmath-path", default="", help="a folder to import mpmath from (else math.log is used)")
    args = parser.parse_args()
    sys.setrecursionlimit(10000)
    logarithm = load_mpmath(args.mpmath_path)
    sys.path.insert(0, args.reference)
    print(json.dumps({"logarithm": logarithm, "python": sys.version.split()[0]}))
    fresh = FreshProcess()
    if args.mode == "replay":
        replay(args, fresh)
    elif args.mode == "floats":
        floats(args)
    else:
        check(args, fresh)


if __name__ == "__main__":
    main()
