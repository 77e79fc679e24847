#!/usr/bin/env python3
"""Produces template-renders.json: the expected render of every shared chat template on every conversation in
template-conversations.json, with CPython Jinja2 configured exactly as transformers' apply_chat_template does
(transformers/utils/chat_template_utils.py: ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
loopcontrols), tojson = json.dumps(ensure_ascii=False, ...), raise_exception, strftime_now).

    python3 make_template_fixtures.py [/work/shared]      # needs only the jinja2 package

Variables follow transformers: messages, tools (None when absent), documents (None), add_generation_prompt, the
template's bos/eos tokens, extra variables. A render that raises records the error message instead.
"""
import json
import os
import sys
from datetime import datetime

import jinja2
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TOOLSHARP_DATA", "/work/shared")


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def strftime_now(format):
    return datetime.now().strftime(format)


def compile_template(text):
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env.from_string(text)


def template_text(rel):
    with open(os.path.join(DATA, rel), encoding="utf-8") as f:
        text = f.read()
    return json.loads(text)["chat_template"] if rel.endswith(".json") else text


with open(os.path.join(HERE, "template-conversations.json"), encoding="utf-8") as f:
    spec = json.load(f)

cases = []
for rel, tokens in spec["templates"].items():
    template = compile_template(template_text(rel))
    for name, conv in spec["conversations"].items():
        tools = spec[conv["tools"]] if isinstance(conv.get("tools"), str) else conv.get("tools")
        for variant in spec["variants"]:
            variables = {**tokens, **variant.get("variables", {})}
            case = {"template": rel, "conversation": name, "add_generation_prompt": variant["add_generation_prompt"], "variables": variables}
            try:
                case["expected"] = template.render(messages=json.loads(json.dumps(conv["messages"])), tools=tools, documents=None,
                                                   add_generation_prompt=variant["add_generation_prompt"], **variables)
            except Exception as e:  # the message is what a user sees
                case["error"] = str(e)
            cases.append(case)

with open(os.path.join(HERE, "template-renders.json"), "w", encoding="utf-8") as f:
    f.write('{"reference": "CPython %s, Jinja2 %s (transformers settings)", "cases": [\n' % (sys.version.split()[0], jinja2.__version__))
    f.write(",\n".join("  " + json.dumps(c, ensure_ascii=False) for c in cases))
    f.write("\n]}\n")
print(f"wrote {len(cases)} cases ({sum('error' in c for c in cases)} errors)", file=sys.stderr)
