#!/usr/bin/env python3
"""BFCL reference for `toolsharp bench bfcl`: BFCL's own multi-turn checker (multi_turn_checker.py and the backends,
from the reference package given with --reference) scores the ground truth of every multi-turn entry, each turn's
calls as one model step, and prints one JSON object of timings (wall and CPU seconds per pass).

Standard library only (run with python3 -I -S); mpmath is imported from --mpmath-path when given, otherwise
MathAPI.logarithm falls back to math.log as BFCL's replay script does.

  bfcl_reference.py --reference DIR --data DIR [--passes N] [--mpmath-path DIR]
"""
import argparse, json, math, sys, time, types


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reference", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--mpmath-path", default="")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.mpmath_path:
        sys.path.append(args.mpmath_path)
    try:
        import mpmath  # noqa: F401
        logarithm = "mpmath"
    except ImportError:
        stub = types.ModuleType("mpmath")
        stub.mp = types.SimpleNamespace(dps=15)
        stub.log = lambda x: math.log(float(x))
        sys.modules["mpmath"] = stub
        logarithm = "math.log"
    sys.path.insert(0, args.reference)
    from bfcl_eval.eval_checker.multi_turn_eval import multi_turn_utils
    from bfcl_eval.eval_checker.multi_turn_eval.multi_turn_checker import multi_turn_checker

    entries = []
    for category in ("multi_turn_base", "multi_turn_miss_func", "multi_turn_miss_param", "multi_turn_long_context"):
        with open(f"{args.data}/BFCL_v4_{category}.json", encoding="utf-8") as q, \
                open(f"{args.data}/possible_answer/BFCL_v4_{category}.json", encoding="utf-8") as a:
            for question, answer in zip(q, a):
                entries.append((json.loads(question), json.loads(answer)["ground_truth"], category))
    setup = time.perf_counter() - started

    def one_pass(model):
        valid = 0
        for entry, truth, category in entries:
            decoded = [[turn] if turn else [] for turn in truth]
            valid += multi_turn_checker(decoded, truth, entry, category, model)["valid"]
        # BFCL keeps every instance in a module-level cache; drop them so the next pass starts fresh.
        for key in [k for k in vars(multi_turn_utils) if k.endswith("_instance")]:
            del vars(multi_turn_utils)[key]
        return valid

    one_pass("warmup")
    times, cpu, valid = [], [], 0
    for p in range(max(1, args.passes)):
        start, start_cpu = time.perf_counter(), time.process_time()
        valid = one_pass(f"bench{p}")
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    print(json.dumps({"entries": len(entries), "valid": valid, "seconds": sum(times) / len(times),
                      "cpu_seconds": sum(cpu) / len(cpu), "passes": len(times),
                      "setup_seconds": setup, "logarithm": logarithm, "python": sys.version.split()[0]}))


if __name__ == "__main__":
    main()
