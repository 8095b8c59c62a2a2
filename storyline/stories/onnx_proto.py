"""The few ONNX protobuf messages a built graph needs, written directly.

Why not the ``onnx`` package: importing it costs 1-2 s of CPU (its ml_dtypes
extension), every start-up, to write a handful of message kinds. Field numbers
are those of onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto,
TensorProto, ValueInfoProto); onnxruntime parses the result.
"""

from __future__ import annotations

import struct
from typing import Any

import numpy as np

# TensorProto.DataType
ELEMENT_TYPES = {np.dtype(np.float32): 1, np.dtype(np.uint8): 2, np.dtype(np.int8): 3, np.dtype(np.int64): 7}
FLOAT = 1


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # negative int64 as two's complement
    out = bytearray()
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _key(field: int, wire: int) -> bytes:
    return _varint(field << 3 | wire)


def _int(field: int, value: int) -> bytes:
    return _key(field, 0) + _varint(value)


def _bytes(field: int, value: bytes | str) -> bytes:
    data = value.encode() if isinstance(value, str) else value
    return _key(field, 2) + _varint(len(data)) + data


def tensor(name: str, array: np.ndarray) -> bytes:
    """TensorProto with raw little-endian data."""
    array = np.ascontiguousarray(array)
    dims = b"".join(_int(1, d) for d in array.shape)
    return dims + _int(2, ELEMENT_TYPES[array.dtype]) + _bytes(8, name) + _bytes(9, array.tobytes())


def _attribute(name: str, value: Any) -> bytes:
    head = _bytes(1, name)
    if isinstance(value, float):
        return head + _key(2, 5) + struct.pack("<f", value) + _int(20, 1)
    if isinstance(value, int):
        return head + _int(3, value) + _int(20, 2)
    if isinstance(value, list | tuple):
        return head + b"".join(_int(8, v) for v in value) + _int(20, 7)
    raise TypeError(f"attribute {name}: {type(value).__name__}")


def node(kind: str, inputs: list[str], outputs: list[str], domain: str = "", **attributes: Any) -> bytes:
    """NodeProto."""
    out = b"".join(_bytes(1, i) for i in inputs) + b"".join(_bytes(2, o) for o in outputs)
    out += _bytes(3, outputs[0]) + _bytes(4, kind)
    out += b"".join(_bytes(5, _attribute(k, v)) for k, v in attributes.items())
    return out + (_bytes(7, domain) if domain else b"")


def value_info(name: str, element_type: int, dims: list[int | str]) -> bytes:
    """ValueInfoProto of a tensor; a str dimension is symbolic."""
    shape = b"".join(_bytes(1, _bytes(2, d) if isinstance(d, str) else _int(1, d)) for d in dims)
    return _bytes(1, name) + _bytes(2, _bytes(1, _int(1, element_type) + _bytes(2, shape)))


def model(
    nodes: list[bytes], weights: list[bytes], inputs: list[bytes], outputs: list[bytes], opsets: dict[str, int]
) -> bytes:
    """ModelProto (IR version 9) of one graph."""
    graph = b"".join(_bytes(1, n) for n in nodes) + _bytes(2, "graph")
    graph += b"".join(_bytes(5, w) for w in weights)
    graph += b"".join(_bytes(11, i) for i in inputs) + b"".join(_bytes(12, o) for o in outputs)
    imports = b"".join(_bytes(8, _bytes(1, domain) + _int(2, version)) for domain, version in opsets.items())
    return _int(1, 9) + _bytes(2, "storyline") + _bytes(7, graph) + imports
