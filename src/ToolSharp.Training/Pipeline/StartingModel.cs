using ToolSharp.Inference.Rendering;
using ToolSharp.Models;

namespace ToolSharp.Training.Pipeline;

/// <summary>The model a training run starts from, the renderer its tokens come from, and for a model directory that
/// directory (null for a preset) and the chat-template options its spec carried.</summary>
internal sealed record StartingModel(Transformer Model, IRolloutRenderer Renderer, string? Folder, ChatTemplateOptions Options);
