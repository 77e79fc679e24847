// Produces template-renders-js.json: the expected render of every shared chat template on every conversation in
// template-conversations.json, from @huggingface/jinja (which emulates Python Jinja2 with trim_blocks/lstrip_blocks
// as transformers' apply_chat_template configures it). The primary reference is make_template_fixtures.py (CPython
// Jinja2 set up as transformers does); this second one shows where the JS emulation agrees.
//
//   mkdir -p /tmp/ref && cd /tmp/ref && npm install --ignore-scripts @huggingface/jinja
//   NODE_PATH=/tmp/ref/node_modules node make-template-fixtures.mjs [/work/shared]
//
// Variables follow transformers: messages, tools (null when absent), documents (null), add_generation_prompt, the
// template's bos/eos tokens, extra variables. A render that throws records the error message instead.
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const require = createRequire(process.env.NODE_PATH ? path.join(process.env.NODE_PATH, "x.js") : import.meta.url);
const { Template } = require("@huggingface/jinja");
const version = JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve("@huggingface/jinja")), "..", "package.json"), "utf8")).version;

const data = process.argv[2] ?? process.env.TOOLSHARP_DATA ?? "/work/shared";
const spec = JSON.parse(fs.readFileSync(new URL("template-conversations.json", import.meta.url), "utf8"));

function templateText(rel) {
  const text = fs.readFileSync(path.join(data, rel), "utf8");
  return rel.endsWith(".json") ? JSON.parse(text).chat_template : text;
}

const cases = [];
for (const [rel, tokens] of Object.entries(spec.templates)) {
  const template = new Template(templateText(rel));
  for (const [name, conv] of Object.entries(spec.conversations)) {
    const tools = typeof conv.tools === "string" ? spec[conv.tools] : conv.tools ?? null;
    for (const variant of spec.variants) {
      const variables = { ...tokens, ...(variant.variables ?? {}) };
      const context = { messages: structuredClone(conv.messages), tools: structuredClone(tools), documents: null, add_generation_prompt: variant.add_generation_prompt, ...variables };
      const c = { template: rel, conversation: name, add_generation_prompt: variant.add_generation_prompt, variables };
      try {
        c.expected = template.render(context);
      } catch (e) {
        c.error = String(e.message ?? e);
      }
      cases.push(c);
    }
  }
}
const body = cases.map((c) => "  " + JSON.stringify(c)).join(",\n");
fs.writeFileSync(new URL("template-renders-js.json", import.meta.url),
  `{"reference": "@huggingface/jinja ${version}", "cases": [\n${body}\n]}\n`);
console.error(`wrote ${cases.length} cases (${cases.filter((c) => c.error).length} errors)`);
