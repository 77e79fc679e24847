namespace ToolSharp.Tensors.Kernels;

/// <summary>TOOLSHARP_BLAS names no backend, or one that cannot run here; the message is one line for the user.</summary>
public sealed class GemmBackendException(string message) : Exception(message);
