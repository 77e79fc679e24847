// Produces tokenizer-qwen3.json: expected ids for hard inputs, from the reference JS tokenizer
// (@huggingface/transformers, which reimplements HF tokenizers and is checked against it upstream).
//
//   mkdir -p /tmp/ref && cd /tmp/ref && npm install --ignore-scripts @huggingface/transformers @huggingface/jinja
//   NODE_PATH=/tmp/ref/node_modules node make-tokenizer-fixtures.mjs [/work/shared]
//
// The output is committed, so tests need no node. Texts holding lone surrogates are stored as UTF-16 code units.
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const require = createRequire(process.env.NODE_PATH ? path.join(process.env.NODE_PATH, "x.js") : import.meta.url);
const { AutoTokenizer, env } = require("@huggingface/transformers");
const version = JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve("@huggingface/transformers")), "..", "package.json"), "utf8")).version;

const data = process.argv[2] ?? process.env.TOOLSHARP_DATA ?? "/work/shared";
env.allowRemoteModels = false;
env.localModelPath = path.join(data, "tokenizers");
const tokenizer = await AutoTokenizer.from_pretrained("qwen3");

const hard = [
  "", " ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", " \n", "  \n  ", "a  b", "a   b", "a\t\tb", "a \t b", "x\n\n\ny", "end  ", "trailing space ",
  " leading", "  two leading", "\tTabbed\tline", "line1\r\nline2\rline3\n", "   \n\n   \t\n x",
  "Hello world", "Hello, world!", "HELLO World hello", "don't can't won't I'm you're we've they'll she'd",
  "DON'T I'M YOU'RE WE'VE THEY'LL SHE'D IT'S", "'s 's' 'sup 'll've", "rock'n'roll", "\"quoted\" 'single'",
  "123", "1234567890", "3.14159", "-42", "1,000,000", "$1,234.56", "12:30pm", "v1.2.3", "0x1F", "1e-10", "٣٤٥ ١٢", "①②③ Ⅻ ½",
  "你好，世界！", "日本語のテキスト", "한국어 텍스트", "中文English混合123", "Привет, мир!", "Ελληνικά", "עברית", "العربية نص",
  "हिन्दी", "ไทย", "🙂", "👍🏽", "👨‍👩‍👧‍👦 family", "🇫🇷🇩🇪", "emoji🙂inside", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𠀀𠀁 rare CJK", "a😀b 😀 c",
  "café", "cafe\u0301", "naïve résumé", "Å Å", "ﬁ ligature", "ñ n\u0303", "\u1100\u1161 Hangul jamo",
  "\u00a0nbsp\u00a0", "em\u2003space", "zero\u200bwidth", "\u3000ideographic", "\u2028line sep",
  "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", "<think>\n\n</think>\n\n", "<tool_call>\n{\"name\": \"f\", \"arguments\": {}}\n</tool_call>",
  "<|im_start|><|im_start|>", "text<|endoftext|>more", "<|im_start", "< |im_start|>", "<tool_response>ok</tool_response>",
  "def f(x):\n    return x ** 2\n\n\nprint(f(3))", "    indented\n        more", "{\"a\": [1, 2, {\"b\": null}]}",
  "https://example.com/path?q=1&r=2#frag", "user@example.com", "C:\\Users\\name", "a+b=c; d*e/f", "...!!!???", "---===***",
  "$$x^2 + y^2 = z^2$$", "#### 72", "<<48/2=24>>", "Natalia sold 48/2 = <<48/2=24>>24 clips in May.",
  "ſ ſs", "İstanbul", "ß ẞ", "K Kelvin", "\u0000null\u0001ctrl", "\u001b[31mred\u001b[0m", "\u007f\u0080\u009f",
];

// Deterministic mixed-script strings (xorshift32) to cover class boundaries the list above misses.
let state = 2463534242;
const rnd = (n) => { state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; state >>>= 0; return state % n; };
const pieces = ["a", "Z", "é", "你", "한", "я", "1", "٣", " ", "  ", "\t", "\n", "\r\n", "'", "'s", "'LL", ".", ",", "!", "-", "_", "(", ")",
  "🙂", "𠀀", "\u0301", "\u00a0", "<", ">", "|", "$", "word", "Word", "WORD", "42", "<|im_end|>", "<think>", "\u2003", "ﬁ", "\u200d"];
const random = [];
for (let k = 0; k < 300; k++) {
  let s = "";
  const len = 1 + rnd(14);
  for (let j = 0; j < len; j++) s += pieces[rnd(pieces.length)];
  random.push(s);
}

const gsm = fs.readFileSync(path.join(data, "datasets/gsm8k/test.jsonl"), "utf8").split("\n").filter(Boolean).slice(0, 40)
  .flatMap((l) => { const o = JSON.parse(l); return [o.question, o.answer]; });

const lone = [[0x61, 0xd800, 0x62], [0xdc00], [0x20, 0xd83d], [0xd83d, 0xd83d, 0xde42], [0x48, 0x69, 0xdfff, 0x20, 0x21]];

const cases = [];
for (const [group, texts] of [["hard", hard], ["random", random], ["gsm8k", gsm]]) {
  for (const text of texts) cases.push({ group, text, ids: Array.from(tokenizer.encode(text, { add_special_tokens: false })) });
}
for (const units of lone) {
  const text = String.fromCharCode(...units);
  cases.push({ group: "lone-surrogate", utf16: units, ids: Array.from(tokenizer.encode(text, { add_special_tokens: false })) });
}

const out = { tokenizer: "tokenizers/qwen3/tokenizer.json", reference: `@huggingface/transformers ${version}`, cases };
// One case per line keeps diffs readable.
const body = cases.map((c) => "  " + JSON.stringify(c)).join(",\n");
fs.writeFileSync(new URL("tokenizer-qwen3.json", import.meta.url),
  `{"tokenizer": ${JSON.stringify(out.tokenizer)}, "reference": ${JSON.stringify(out.reference)}, "cases": [\n${body}\n]}\n`);
console.error(`wrote ${cases.length} cases`);
