namespace ToolSharp.Text.Builtin;

/// <summary>The built-in chat format as a Hugging Face (Jinja) chat template, for exported models.</summary>
/// <remarks>
/// It renders exactly the text <see cref="BuiltinChatFormat.RenderText"/> produces — leading system messages joined with
/// newlines, the tool signatures line, one <c>&lt;|tool|&gt;</c> turn for consecutive tool results, Hermes calls with
/// Python-style JSON — so transformers, vLLM and llama.cpp prompt an exported model as it was trained. Every literal
/// is an expression and every tag trims its whitespace, so the output does not depend on the renderer's
/// <c>trim_blocks</c>/<c>lstrip_blocks</c> settings. Tools may be given in OpenAI form (<c>{"type": "function",
/// "function": {...}}</c>) or bare; call arguments as an object or as a JSON string (inserted verbatim).
/// </remarks>
public static class BuiltinChatTemplate
{
    public static string Text { get; } = string.Join("\n",
        "{%- set ns = namespace(system='', start=0) -%}",
        "{%- for m in messages -%}",
        "{%- if m.role == 'system' and loop.index0 == ns.start -%}",
        "{%- if ns.system != '' -%}{%- set ns.system = ns.system + '\\n' -%}{%- endif -%}",
        "{%- if m.content is string -%}{%- set ns.system = ns.system + m.content -%}{%- endif -%}",
        "{%- set ns.start = ns.start + 1 -%}",
        "{%- endif -%}",
        "{%- endfor -%}",
        "{%- if tools -%}",
        "{%- if ns.system != '' -%}{%- set ns.system = ns.system + '\\n' -%}{%- endif -%}",
        "{%- set ns.system = ns.system + 'tools: ' -%}",
        "{%- for t in tools -%}",
        "{%- set f = t.function if t.function is defined else t -%}",
        "{%- set params = f.parameters if f.parameters is defined and f.parameters is mapping else {} -%}",
        "{%- set props = params.properties if params.properties is defined and params.properties is mapping else {} -%}",
        "{%- set required = params.required if params.required is defined and params.required is iterable and params.required is not string else [] -%}",
        "{%- if not loop.first -%}{%- set ns.system = ns.system + '; ' -%}{%- endif -%}",
        "{%- set ns.system = ns.system + f.name + '(' -%}",
        "{%- for p in props -%}",
        "{%- if not loop.first -%}{%- set ns.system = ns.system + ', ' -%}{%- endif -%}",
        "{%- set ns.system = ns.system + p -%}",
        "{%- if p not in required -%}{%- set ns.system = ns.system + '?' -%}{%- endif -%}",
        "{%- endfor -%}",
        "{%- set ns.system = ns.system + ')' -%}",
        "{%- endfor -%}",
        "{%- endif -%}",
        "{%- if ns.system != '' -%}{{- '<|system|>' + ns.system + '<|end|>' -}}{%- endif -%}",
        "{%- for m in messages -%}",
        "{%- if loop.index0 >= ns.start -%}",
        "{%- set content = m.content if m.content is string else '' -%}",
        "{%- if m.role == 'system' -%}",
        "{{- '<|system|>' + content + '<|end|>' -}}",
        "{%- elif m.role == 'user' -%}",
        "{{- '<|user|>' + content + '<|end|>' -}}",
        "{%- elif m.role == 'assistant' -%}",
        "{{- '<|assistant|>' -}}",
        "{%- if m.reasoning_content is defined and m.reasoning_content is string -%}{{- '<think>' + m.reasoning_content + '</think>' -}}{%- endif -%}",
        "{{- content -}}",
        "{%- if m.tool_calls is defined and m.tool_calls -%}",
        "{%- for tc in m.tool_calls -%}",
        "{%- set fn = tc.function if tc.function is defined else tc -%}",
        "{{- '<tool_call>{\"name\": ' + (fn.name | tojson) + ', \"arguments\": ' -}}",
        "{%- if fn.arguments is defined and fn.arguments is string -%}{{- fn.arguments -}}",
        "{%- elif fn.arguments is defined and fn.arguments is mapping -%}{{- fn.arguments | tojson -}}",
        "{%- else -%}{{- '{}' -}}{%- endif -%}",
        "{{- '}</tool_call>' -}}",
        "{%- endfor -%}",
        "{%- endif -%}",
        "{{- '<|end|>' -}}",
        "{%- elif m.role == 'tool' -%}",
        "{%- if loop.index0 == 0 or messages[loop.index0 - 1].role != 'tool' -%}{{- '<|tool|>' -}}{%- endif -%}",
        "{{- '<tool_response>' + content + '</tool_response>' -}}",
        "{%- if loop.last or messages[loop.index0 + 1].role != 'tool' -%}{{- '<|end|>' -}}{%- endif -%}",
        "{%- endif -%}",
        "{%- endif -%}",
        "{%- endfor -%}",
        "{%- if add_generation_prompt -%}{{- '<|assistant|>' -}}{%- endif -%}");
}
