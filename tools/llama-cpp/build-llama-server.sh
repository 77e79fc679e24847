#!/usr/bin/env bash
# Builds llama.cpp's llama-server (CPU only, no curl/OpenSSL, no web UI download) from the llama.cpp source that the
# node-llama-cpp npm package carries, and caches the binary outside the repository. Prints the binary's path.
#
#   tools/llama-cpp/build-llama-server.sh            # build once; later calls print the cached path at once
#   LLAMA_CPP_CACHE=/some/dir tools/llama-cpp/build-llama-server.sh
#
# Needs node/npm (to fetch the package from the npm registry), git, cmake and a C++17 compiler. About 10-15 minutes
# on two cores. Nothing of llama.cpp is written into the repository.
set -euo pipefail

NODE_LLAMA_CPP_VERSION="${NODE_LLAMA_CPP_VERSION:-3.21.1}"
CACHE="${LLAMA_CPP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/toolsharp/llama-cpp}"
BIN="$CACHE/bin/llama-server"
JOBS="${JOBS:-$(nproc)}"

if [[ -x "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi

for tool in npm git cmake c++; do
  command -v "$tool" >/dev/null || { echo "build-llama-server: '$tool' not found on PATH" >&2; exit 1; }
done

mkdir -p "$CACHE/npm"
pkg="$CACHE/npm/node_modules/node-llama-cpp"
if [[ ! -f "$pkg/llama/gitRelease.bundle" ]]; then
  echo "build-llama-server: installing node-llama-cpp@$NODE_LLAMA_CPP_VERSION into $CACHE/npm" >&2
  [[ -f "$CACHE/npm/package.json" ]] || echo '{"name":"toolsharp-llama-cpp-source","private":true}' >"$CACHE/npm/package.json"
  # --ignore-scripts: we only want the bundled source, not the package's own build or binary download.
  (cd "$CACHE/npm" && npm install --no-audit --no-fund --ignore-scripts -E "node-llama-cpp@$NODE_LLAMA_CPP_VERSION" >&2)
fi

src="$CACHE/src"
if [[ ! -f "$src/CMakeLists.txt" ]]; then
  rm -rf "$src"
  git clone -q "$pkg/llama/gitRelease.bundle" "$src" 2>/dev/null
fi
echo "build-llama-server: llama.cpp $(cat "$pkg/llama/llama.cpp.info.json" | tr -d '\n ' ) at $src" >&2

cmake -S "$src" -B "$CACHE/build" -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_SHARED_LIBS=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_CURL=OFF \
  -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON \
  -DGGML_CUDA=OFF -DGGML_VULKAN=OFF -DGGML_METAL=OFF -DGGML_BLAS=OFF >&2
cmake --build "$CACHE/build" --target llama-server -j "$JOBS" >&2

mkdir -p "$CACHE/bin"
cp "$CACHE/build/bin/llama-server" "$BIN.tmp"
mv "$BIN.tmp" "$BIN"
echo "$BIN"
