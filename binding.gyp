# node-gyp route to the same sources as CMakeLists.txt (which stays the single source of truth for
# flags and options). CPU only. Build and smoke-test it with `npm run build:gyp` (CI does).
# LibTorch is located by scripts/find-libtorch.js (LIBTORCH / Torch_DIR / CMAKE_PREFIX_PATH /
# Debian / Python torch), so no absolute path is written here.
{
  "targets": [
    {
      "target_name": "toolrl_addon",
      "sources": ["<!@(node scripts/native-sources.js)"],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except_all"],
      "include_dirs": ["native", "<!@(node scripts/find-libtorch.js --include)"],
      "defines": [
        "NAPI_VERSION=8",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "_GLIBCXX_USE_CXX11_ABI=<!(node -p \"process.env.TOOLRL_CXX11_ABI || 1\")"
      ],
      # node-gyp's common.gypi turns off RTTI and exceptions; ATen's headers need both.
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-rtti", "-fno-exceptions"],
      # -pthread: native/kernels runs its own thread pool (kernels/parallel.h). No -march flags:
      # the kernels pick AVX-512 / AVX2 / scalar at run time (kernels/cpu_isa.h).
      "cflags_cc": ["-std=c++17", "-O3", "-pthread", "-Wno-unused-parameter"],
      "ldflags": ["-pthread"],
      "libraries": [
        "-L<!(node scripts/find-libtorch.js --libdir)",
        "-Wl,-rpath,<!(node scripts/find-libtorch.js --libdir)",
        "-ltorch", "-ltorch_cpu", "-lc10", "-ldl"
      ]
    }
  ]
}
